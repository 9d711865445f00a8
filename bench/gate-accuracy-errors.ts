/**
 * bench/gate-accuracy: rows with target errors. Missing results are not missing at random — they are
 * where the system broke — so a gate that drops errored pairs can be fooled by a candidate that throws
 * exactly where it would fail. Each comparison is a synthetic baseline and candidate as in
 * gate-accuracy-data.ts; errors are then planted (at random on either side, or on the examples where
 * the candidate regressed) and the runs go through the gate's own pure pipeline, comparePaired:
 *
 * - "errored pairs dropped": the behaviour before imputation (no error rows; errored examples have no
 *   scores, so the pairing leaves them out);
 * - "imputed, metric rules only": errored results imputed as fails, `noRegression: true, perSlice:
 *   true` on every metric (weighted Holm family);
 * - "imputed + error-rate rule": the EvalOps gate, which also blocks on a significant rise of the
 *   target-error rate (one-sided exact McNemar, α 0.01).
 */
import { comparePaired, type PairedRowsSide } from '../src/core/compare-paired.js';
import type { ErrorCell } from '../src/core/error-rate.js';
import type { ScoreCell } from '../src/core/impute-missing.js';
import { seededRandom, type SeededRandom } from '../src/core/stats/seeded-random.js';
import { wilsonInterval } from '../src/core/stats.js';
import { syntheticComparison, type DataSpec } from './gate-accuracy-data.js';

type Planting =
  | { readonly kind: 'random'; readonly baseline: number; readonly candidate: number }
  /** The candidate throws wherever it regressed on metric 0 (baseline pass, candidate fail). */
  | { readonly kind: 'on-failures' };

interface ErrorScenario extends DataSpec {
  readonly name: string;
  readonly planting: Planting;
  readonly budget: { readonly kind: 'at most' | 'at least'; readonly rate: number } | null;
}

const base = { n: 1000, slices: 8, metrics: 3, baseRate: 0.85, concentration: 2, trials: 1 } as const;
const none = { kind: 'none' } as const;

const SCENARIOS: readonly ErrorScenario[] = [
  { ...base, name: 'A/A, 5% random errors on both sides, ρ = 0.33', effect: none, planting: { kind: 'random', baseline: 0.05, candidate: 0.05 }, budget: { kind: 'at most', rate: 0.05 } },
  { ...base, name: 'A/A, 2% random errors on both sides, ρ = 0', concentration: Infinity, effect: none, planting: { kind: 'random', baseline: 0.02, candidate: 0.02 }, budget: { kind: 'at most', rate: 0.05 } },
  { ...base, name: 'candidate errs at random on 5% (baseline none), scores unchanged', effect: none, planting: { kind: 'random', baseline: 0, candidate: 0.05 }, budget: null },
  { ...base, name: '5-pt drop on one metric hidden behind errors on its failures, ρ = 0.33', effect: { kind: 'uniform', to: 0.8 }, planting: { kind: 'on-failures' }, budget: { kind: 'at least', rate: 0.8 } },
  { ...base, name: '2-pt drop on one metric hidden behind errors on its failures, ρ = 0.33', effect: { kind: 'uniform', to: 0.83 }, planting: { kind: 'on-failures' }, budget: null },
];

const COLUMNS = ['errored pairs dropped (before)', 'imputed, metric rules only', 'imputed + error-rate rule (EvalOps)'] as const;

interface Sides {
  readonly baseline: PairedRowsSide;
  readonly candidate: PairedRowsSide;
  readonly dropped: { readonly baseline: PairedRowsSide; readonly candidate: PairedRowsSide };
  readonly metrics: string[];
  readonly slices: Map<string, string[]>;
}

function plant(spec: ErrorScenario, random: SeededRandom): Sides {
  const data = syntheticComparison(spec, random);
  const metrics = [...data.observations.keys()];
  const ids = Array.from({ length: spec.n }, (_, i) => `e${i}`);
  const bErr = new Set<number>();
  const cErr = new Set<number>();
  const first = data.observations.get(metrics[0] as string) ?? [];
  for (let i = 0; i < spec.n; i++) {
    if (spec.planting.kind === 'random') {
      if (random.next() < spec.planting.baseline) bErr.add(i);
      if (random.next() < spec.planting.candidate) cErr.add(i);
    } else {
      const o = first[i];
      if (o && o.baseline === 1 && o.candidate === 0) cErr.add(i);
    }
  }
  const side = (which: 'baseline' | 'candidate', errored: Set<number>): { full: PairedRowsSide; dropped: PairedRowsSide } => {
    const rows: ScoreCell[] = [];
    for (const [metric, list] of data.observations) {
      list.forEach((o, i) => {
        if (errored.has(i)) return;
        const value = o[which];
        rows.push({ exampleId: o.exampleId, trial: 0, metric, status: 'scored', value, pass: value === 1 });
      });
    }
    const errors: ErrorCell[] = [...errored].map((i) => ({ exampleId: `e${i}`, trial: 0, error: 'planted' }));
    return { full: { rows, errors, exampleIds: ids }, dropped: { rows, errors: [], exampleIds: ids.filter((_, i) => !errored.has(i)) } };
  };
  const b = side('baseline', bErr);
  const c = side('candidate', cErr);
  const slices = new Map(ids.map((id, i) => [id, [data.sliceOf(i)]]));
  return { baseline: b.full, candidate: c.full, dropped: { baseline: b.dropped, candidate: c.dropped }, metrics, slices };
}

function runScenario(spec: ErrorScenario, comparisons: number, seed: number): { blocked: number[]; seconds: number } {
  const random = seededRandom(seed);
  const blocked = COLUMNS.map(() => 0);
  const started = performance.now();
  for (let k = 0; k < comparisons; k++) {
    const s = plant(spec, random);
    const common = { metrics: s.metrics, slices: s.slices, missingInCandidate: [], seed: seed * 7919 + k };
    const before = comparePaired({ ...common, baseline: s.dropped.baseline, candidate: s.dropped.candidate });
    const now = comparePaired({ ...common, baseline: s.baseline, candidate: s.candidate });
    const metricBlock = now.comparisons.some((c) => c.verdict === 'regressed');
    const decisions = [before.comparisons.some((c) => c.verdict === 'regressed'), metricBlock, metricBlock || now.errors.rose];
    decisions.forEach((d, i) => {
      if (d) blocked[i] = (blocked[i] as number) + 1;
    });
  }
  return { blocked, seconds: (performance.now() - started) / 1000 };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/**
 * Runs the error scenarios and renders their Markdown section; `pass` is false when a budgeted row
 * misses its budget.
 * @example const { markdown, pass } = runErrorScenarios(2000, 20240601)
 */
export function runErrorScenarios(perScenario: number, seed: number): { markdown: string; pass: boolean; json: unknown[] } {
  const count = Math.max(1, Math.round(perScenario / 2));
  const rows: string[] = [];
  const json: unknown[] = [];
  let pass = true;
  let seconds = 0;
  SCENARIOS.forEach((spec, i) => {
    const r = runScenario(spec, count, seed + 1000 + i);
    seconds += r.seconds;
    const rate = (r.blocked[2] as number) / count;
    const ok = spec.budget ? (spec.budget.kind === 'at most' ? rate <= spec.budget.rate : rate >= spec.budget.rate) : null;
    if (ok === false) pass = false;
    const ci = wilsonInterval(r.blocked[2] as number, count) as [number, number];
    const cells = r.blocked.map((b, j) => (j === 2 ? `**${pct(b / count)}** (${pct(ci[0])}–${pct(ci[1])})` : pct(b / count)));
    const budget = spec.budget ? `${spec.budget.kind === 'at most' ? '≤' : '≥'} ${pct(spec.budget.rate)}` : '—';
    rows.push(`| ${spec.name} | ${spec.n} | ${count} | ${cells.join(' | ')} | ${budget} | ${ok === null ? 'informational' : ok ? 'PASS' : 'FAIL'} |`);
    json.push({ name: spec.name, n: spec.n, comparisons: count, columns: COLUMNS, blockRates: r.blocked.map((b) => b / count), budget: spec.budget, pass: ok });
    process.stderr.write(`${spec.name}: ${r.blocked.map((b) => pct(b / count)).join(' / ')} (${r.seconds.toFixed(1)} s)\n`);
  });
  const markdown = [
    '### Errors: planted at random vs. planted on failures (bench/gate-accuracy-errors.ts)',
    '',
    'Same synthetic data (n = 1,000, 8 slices, 3 pass/fail metrics, base rate 85%); then target errors are planted — at random on either side, or on exactly the examples where the candidate regressed on metric 0 (baseline pass → candidate fail: it throws instead of answering wrong). Every run goes through comparePaired, the gate\'s pure pipeline. Columns: the behaviour before imputation (errored examples have no scores and drop out of the pairing), imputation with the metric rules alone, and the EvalOps gate (imputation + the built-in error-rate rule).',
    '',
    `| scenario | n | comparisons | ${COLUMNS.join(' | ')} | budget (EvalOps) | verdict |`,
    `|${['', '', '', ...COLUMNS, '', ''].map(() => '---').join('|')}|`,
    ...rows,
    '',
    `Runtime: ${seconds.toFixed(1)} s.`,
    '',
  ].join('\n');
  return { markdown, pass, json };
}
