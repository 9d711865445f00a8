/**
 * Runs bench/plan-accuracy.ts (the planner's power against a simulation of the gate's test) and
 * bench/gate-accuracy-primary.ts (`primary: true` beside weighted Holm) as child processes, through
 * tsx, and turns their JSON (bench/.work/) into a run-all report.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BENCH_DIR, REPO_ROOT, WORK_DIR } from '../lib/paths.mjs';

const pct = (x) => `${(x * 100).toFixed(1)}%`;

function runTs(file) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${BENCH_DIR}/${file}`], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${file} exited ${r.status}: ${r.stderr}`);
}

export async function runPlanBench() {
  runTs('plan-accuracy.ts');
  runTs('gate-accuracy-primary.ts');
  const plan = JSON.parse(readFileSync(`${WORK_DIR}/plan-accuracy.json`, 'utf8'));
  const primary = JSON.parse(readFileSync(`${WORK_DIR}/gate-accuracy-primary.json`, 'utf8'));
  const worst = Math.max(...plan.rows.map((r) => Math.abs(r.diff)));
  return {
    id: 'plan',
    title: 'Planner accuracy and primary metrics',
    budget: "the planner's power within ±3 points of the simulated gate; with `primary: true`, A/A ≤ 5% family-wise and a 5-point drop of the primary at n = 1,000, ρ = 0 blocked in ≥ 80%",
    method: [
      `bench/plan-accuracy.ts: ${plan.sims} seeded simulations per grid point (n ∈ {200, 1000}, ρ ∈ {0, 0.33}, drop ∈ {3, 5} pts, base 80%, weights 1 and 1/6; two data models) through compareMetric + the first Holm step + verdictFor, against powerFor().`,
      `bench/gate-accuracy-primary.ts: ${primary.comparisons} comparisons per row, 3 metrics × 8 slices, n = 1,000, base 85%; weighted Holm vs the graphical procedure with metric_0 (or metric_1) primary.`,
    ],
    tables: [
      { headers: ['model', 'n', 'ρ', 'drop', 'weight', 'planner', 'simulated', 'difference'], rows: plan.rows.map((r) => [r.model, r.n, r.rho, pct(r.drop), r.weight.toFixed(3), pct(r.planner), pct(r.simulated), `${(100 * r.diff).toFixed(1)} pts`]) },
      { headers: ['scenario', 'weighted Holm', 'graphical (primary)', 'budget'], rows: primary.rows.map((r) => [r.name, pct(r.holm), pct(r.graphical), r.budget ? `${r.budget.kind === 'at most' ? '≤' : '≥'} ${pct(r.budget.rate)}` : '—']) },
    ],
    verdicts: [
      { name: 'planner within ±3 points of simulation', pass: plan.rows.every((r) => r.ok), detail: `largest difference ${(100 * worst).toFixed(1)} points` },
      ...primary.rows.filter((r) => r.budget).map((r) => ({ name: r.name, pass: r.pass, detail: `${pct(r.graphical)} blocked (budget ${r.budget.kind} ${pct(r.budget.rate)})` })),
    ],
    notes: [],
  };
}
