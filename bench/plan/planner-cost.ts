/**
 * bench/plan/planner-cost: what the gate's "What this gate can see" section costs beside the paired
 * comparison, on the database `node bench/run-all.mjs --only gate` leaves in bench/.work/gate-perf
 * (2 runs × 10,000 paired examples × 6 metrics, 12 slice values). Every metric gets a
 * `noRegression: true, perSlice: true` rule (78 planned rows: more than the bench's own policy, 26),
 * and compareRuns and visibilityForGate are timed in one process, three times.
 *
 *   node --import tsx bench/plan/planner-cost.ts
 */
import { GateConfigSchema } from '../../src/core/gate-config.js';
import { compareRuns } from '../../src/gate/compare-runs.js';
import { visibilityForGate } from '../../src/gate/visibility-for-gate.js';
import { runWithSummary } from '../../src/runner/run-queries.js';
import { openStore } from '../../src/store/store.js';

const store = await openStore(`sqlite:${new URL('../.work/gate-perf/evalops.db', import.meta.url).pathname}`);
try {
  const [project] = await store.projects.list();
  if (!project) throw new Error('no gate-perf database: run `node bench/run-all.mjs --only gate` first');
  const [candidate, baseline] = await store.runs.list(project.id, { status: 'completed', limit: 2 });
  if (!candidate || !baseline) throw new Error('the gate-perf database needs two completed runs');
  const gate = GateConfigSchema.parse({ rules: candidate.metrics.map((m) => ({ metric: m.name, noRegression: true, perSlice: true, action: 'block' })) });
  const { summary } = await runWithSummary(store, candidate.id);
  for (let k = 0; k < 3; k++) {
    let t = performance.now();
    const comparison = await compareRuns(store, baseline.id, candidate.id);
    const compareMs = performance.now() - t;
    t = performance.now();
    const v = visibilityForGate({ rules: gate.rules, metrics: candidate.metrics, runMetrics: candidate.metrics, comparisons: comparison.comparisons, candidate: summary, candidateSlices: {} });
    const planMs = performance.now() - t;
    process.stdout.write(`compareRuns ${compareMs.toFixed(0)} ms; planner section ${planMs.toFixed(1)} ms for ${v.rows.length} rows (${((100 * planMs) / compareMs).toFixed(1)}% of compareRuns)\n`);
  }
} finally {
  await store.close();
}
