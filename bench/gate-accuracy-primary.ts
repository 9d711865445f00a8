/**
 * bench/gate-accuracy-primary: `primary: true` side by side with today's weighted Holm, on the same
 * synthetic comparisons as bench/gate-accuracy.ts (3 pass/fail metrics × 8 slices, base rate 85%,
 * noRegression + perSlice on every metric). metric_0 is the primary metric: the graphical procedure
 * (src/core/stats/graphical-procedure.ts) tests its whole-dataset drop first with half of α.
 * Budgets (issue 13): A/A at ρ = 0 blocked in ≤ 5% family-wise; a 5-point drop of the primary at
 * n = 1,000, ρ = 0, blocked in ≥ 80%.
 *
 *   node --import tsx bench/gate-accuracy-primary.ts [--comparisons N] [--seed S]
 *
 * Writes bench/.work/gate-accuracy-primary.{md,json}; exit 0 when the budgets are met, 1 otherwise.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { MetricComparison } from '../src/core/comparison.js';
import { adjustComparisons } from '../src/core/stats/adjust-comparisons.js';
import { seededRandom } from '../src/core/stats/seeded-random.js';
import { wilsonInterval } from '../src/core/stats.js';
import { compareSynthetic, syntheticComparison, type DataSpec } from './gate-accuracy-data.js';

interface Scenario extends DataSpec {
  readonly name: string;
  readonly budget: { readonly kind: 'at most' | 'at least'; readonly rate: number } | null;
}

const base = { slices: 8, metrics: 3, baseRate: 0.85, trials: 1, n: 1000 } as const;
const none = { kind: 'none' } as const;
const drop5 = { kind: 'uniform', to: 0.8 } as const;
const SCENARIOS: readonly Scenario[] = [
  { ...base, name: 'A/A, ρ 0, primary', concentration: Infinity, effect: none, budget: { kind: 'at most', rate: 0.05 } },
  { ...base, name: 'A/A, ρ 0.33, primary', concentration: 2, effect: none, budget: { kind: 'at most', rate: 0.05 } },
  { ...base, name: '5-pt drop, ρ 0, primary', concentration: Infinity, effect: drop5, budget: { kind: 'at least', rate: 0.8 } },
  { ...base, name: '5-pt drop, ρ 0.33, primary', concentration: 2, effect: drop5, budget: null },
  { ...base, name: '25-pt drop in one slice of the primary (≈ 3 pts overall), ρ 0.33', concentration: 2, effect: { kind: 'slice', to: 0.6 }, budget: null },
];
/** The same data with the drop on a metric that is NOT primary: what the primary's head start costs the rest. */
const SECONDARY: readonly Scenario[] = [
  { ...base, name: '5-pt drop on a non-primary metric, ρ 0.33', concentration: 2, effect: drop5, budget: null },
  { ...base, name: '5-pt drop on a non-primary metric, ρ 0', concentration: Infinity, effect: drop5, budget: null },
];

const blocks = (comparisons: readonly MetricComparison[], primaries: readonly string[]): boolean => adjustComparisons(comparisons, { primaries }).some((c) => c.verdict === 'regressed');

function run(scenario: Scenario, comparisons: number, seed: number, primary: string): { holm: number; graphical: number } {
  const random = seededRandom(seed);
  let holm = 0;
  let graphical = 0;
  for (let k = 0; k < comparisons; k++) {
    const data = syntheticComparison(scenario, random);
    const all = compareSynthetic(data, { binary: true, seed: k });
    if (blocks(all, [])) holm++;
    if (blocks(all, [primary])) graphical++;
  }
  return { holm: holm / comparisons, graphical: graphical / comparisons };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

function main(): number {
  const { values } = parseArgs({ options: { comparisons: { type: 'string' }, seed: { type: 'string' } } });
  const count = values.comparisons ? Number.parseInt(values.comparisons, 10) : 2000;
  const seed = values.seed ? Number.parseInt(values.seed, 10) : 20_261_206;
  const started = performance.now();
  const results = [
    ...SCENARIOS.map((s, i) => ({ s, primary: 'metric_0', ...run(s, count, seed + i, 'metric_0') })),
    // The drop is on metric_0; declaring metric_1 primary makes the dropping metric a secondary one.
    ...SECONDARY.map((s, i) => ({ s, primary: 'metric_1', ...run(s, count, seed + 100 + i, 'metric_1') })),
  ];
  const pass = (r: (typeof results)[number]): boolean | null => (r.s.budget ? (r.s.budget.kind === 'at most' ? r.graphical <= r.s.budget.rate : r.graphical >= r.s.budget.rate) : null);
  const ci = (rate: number): string => {
    const [lo, hi] = wilsonInterval(Math.round(rate * count), count) as [number, number];
    return `${pct(lo)}–${pct(hi)}`;
  };
  const lines = [
    '## Gate accuracy with a primary metric (bench/gate-accuracy-primary.ts)',
    '',
    `${count} seeded comparisons per row (seed ${seed}); n = 1,000, 3 metrics × 8 slices, base rate 85%, noRegression + perSlice on every metric. "weighted Holm": today's gate (no primary). "graphical": metric_0 (or, in the last rows, metric_1) marked \`primary: true\`.`,
    '',
    '| scenario | weighted Holm blocks | graphical (primary) blocks | 95% MC interval (graphical) | budget | verdict |',
    '|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.s.name} | ${pct(r.holm)} | **${pct(r.graphical)}** | ${ci(r.graphical)} | ${r.s.budget ? `${r.s.budget.kind === 'at most' ? '≤' : '≥'} ${pct(r.s.budget.rate)}` : '—'} | ${pass(r) === null ? 'informational' : pass(r) ? 'PASS' : 'FAIL'} |`),
    '',
    `Runtime ${((performance.now() - started) / 1000).toFixed(1)} s.`,
    '',
  ];
  const markdown = lines.join('\n');
  process.stdout.write(markdown);
  const workDir = join(dirname(fileURLToPath(import.meta.url)), '.work');
  mkdirSync(workDir, { recursive: true });
  writeFileSync(join(workDir, 'gate-accuracy-primary.md'), markdown);
  writeFileSync(join(workDir, 'gate-accuracy-primary.json'), `${JSON.stringify({ seed, comparisons: count, rows: results.map((r) => ({ name: r.s.name, primary: r.primary, holm: r.holm, graphical: r.graphical, budget: r.s.budget, pass: pass(r) })) }, null, 2)}\n`);
  return results.every((r) => pass(r) !== false) ? 0 : 1;
}

process.exitCode = main();
