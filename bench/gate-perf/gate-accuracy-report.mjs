/**
 * Runs the gate-accuracy simulation (bench/gate-accuracy.ts, TypeScript through tsx) as a child
 * process and turns its JSON (bench/.work/gate-accuracy.json) into a run-all report.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BENCH_DIR, REPO_ROOT, WORK_DIR } from '../lib/paths.mjs';

const pct = (x) => `${(x * 100).toFixed(1)}%`;

export async function runGateAccuracyBench() {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${BENCH_DIR}/gate-accuracy.ts`], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`gate-accuracy exited ${r.status}: ${r.stderr}`);
  const data = JSON.parse(readFileSync(`${WORK_DIR}/gate-accuracy.json`, 'utf8'));
  const rows = data.scenarios.map((s) => [s.name, s.n, s.slices, s.metrics, s.comparisons, ...s.blockRates.map(pct), s.budget ? `${s.budget.kind === 'at most' ? '≤' : '≥'} ${pct(s.budget.rate)}` : '—']);
  const report = {
    id: 'accuracy',
    title: 'Gate accuracy: simulated comparisons with known truth',
    budget: 'A/A (no real change) blocked in ≤ 5% of comparisons, family-wise over metrics and slices; a real 5-point drop at n = 1,000 (binary, base rate 85%) blocked in ≥ 80%',
    method: [
      'bench/gate-accuracy.ts (pure; no database): seeded synthetic baseline/candidate pairs, 8 slices, 3 pass/fail metrics, per-example true pass rates drawn from a Beta distribution (ρ = per-example correlation of the two runs).',
      'EvalOps gate: noRegression + perSlice on every metric, compareMetric + adjustComparisons (one-sided weighted Holm over every metric × slice test); side by side with two-sided corrections and the naive fixed-threshold gates peers offer.',
      'Full method and the Monte Carlo intervals: bench/.work/gate-accuracy.md.',
    ],
    tables: [{ headers: ['scenario', 'n', 'slices', 'metrics', 'comparisons', ...data.gates.map((g) => `${g} blocks`), 'budget'], rows }],
    verdicts: data.scenarios.filter((s) => s.budget).map((s) => ({ name: `${s.name}, n=${s.n}`, pass: s.pass, detail: `${pct(s.blockRates[0])} blocked (budget ${s.budget.kind} ${pct(s.budget.rate)})` })),
    notes: [],
  };
  return withErrorScenarios(report, data.errorScenarios ?? []);
}

/** The rows with planted target errors (bench/gate-accuracy-errors.ts): their own table and verdicts. */
function withErrorScenarios(report, scenarios) {
  if (scenarios.length === 0) return report;
  const rows = scenarios.map((s) => [s.name, s.n, s.comparisons, ...s.blockRates.map(pct), s.budget ? `${s.budget.kind === 'at most' ? '≤' : '≥'} ${pct(s.budget.rate)}` : '—']);
  return {
    ...report,
    tables: [...report.tables, { headers: ['scenario (target errors planted)', 'n', 'comparisons', ...scenarios[0].columns, 'budget'], rows }],
    verdicts: [...report.verdicts, ...scenarios.filter((s) => s.budget).map((s) => ({ name: `${s.name}, n=${s.n}`, pass: s.pass, detail: `${pct(s.blockRates[2])} blocked (budget ${s.budget.kind} ${pct(s.budget.rate)})` }))],
  };
}
