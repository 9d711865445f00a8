import type { CacheSource, MetricSummary, RunStatus, RunSummary } from '../core/run.js';
import { runTarget } from '../core/target-label.js';
import { quantileSorted, wilsonInterval } from '../core/stats.js';
import { repeatStats, type TrialScore } from '../core/repeat-stats.js';
import type { DatasetVersionRecord } from '../store/dataset-repository.js';
import type { RunRecord, RunRepository } from '../store/run-repository.js';

/**
 * The scorecard of a run, computed from SQL aggregates (bounded memory for any run size): per metric
 * n, passed, failed, errored, skipped, pass rate with a 95% Wilson interval and the mean value; cost,
 * cost per successful result, latency p50/p95 and duration; with repeats, pass^k, pass@k and the
 * flaky examples of each metric.
 */
export async function summariseRun(
  runs: RunRepository,
  run: RunRecord,
  context: { project: string; dataset: DatasetVersionRecord; status: RunStatus; finishedAt: string | null; expected: number; cachedFrom?: readonly CacheSource[] },
): Promise<RunSummary> {
  const [aggregates, totals, latencies] = await Promise.all([runs.metricAggregates(run.id), runs.resultAggregate(run.id), runs.latencies(run.id)]);
  const byName = new Map(aggregates.map((a) => [a.metric, a]));
  // Per-example trial outcomes are needed only with repeats; a single-trial run stays on SQL aggregates.
  const repeats = run.repeat > 1 ? repeatStats(await trialRows(runs, run), run.repeat) : undefined;
  const metrics: Record<string, MetricSummary> = {};
  for (const m of run.metrics) {
    const a = byName.get(m.name);
    const passed = a?.passed ?? 0;
    const failed = a?.failed ?? 0;
    const n = passed + failed;
    metrics[m.name] = {
      ...(m.owner === undefined ? {} : { owner: m.owner }),
      ...(m.failureClass === undefined ? {} : { failureClass: m.failureClass }),
      ...(m.lifecycle === undefined ? {} : { lifecycle: m.lifecycle }),
      scorerType: m.scorerType,
      n,
      passed,
      failed,
      errored: a?.errored ?? 0,
      skipped: a?.skipped ?? 0,
      passRate: n === 0 ? null : passed / n,
      mean: a && a.valueCount > 0 ? a.valueSum / a.valueCount : null,
      ci95: wilsonInterval(passed, n),
      ...(repeats?.has(m.name) ? { repeats: repeats.get(m.name) } : {}),
    };
  }
  const durationMs = context.finishedAt ? Date.parse(context.finishedAt) - Date.parse(run.startedAt) : null;
  return {
    runId: run.id,
    status: context.status,
    project: context.project,
    dataset: { name: context.dataset.datasetName, version: context.dataset.hash },
    target: runTarget(run),
    repeat: run.repeat,
    labels: { ...run.labels },
    results: { total: totals.total, errors: totals.errors, cached: totals.cached, expected: context.expected, ...(context.cachedFrom && context.cachedFrom.length > 0 ? { cachedFrom: [...context.cachedFrom] } : {}) },
    metrics,
    costUsd: totals.costUsd,
    costPerSuccessUsd: totals.successes > 0 ? totals.costUsd / totals.successes : null,
    successes: totals.successes,
    latencyMs: { p50: quantileSorted(latencies, 0.5), p95: quantileSorted(latencies, 0.95) },
    tokens: { input: totals.inputTokens, output: totals.outputTokens },
    durationMs,
    startedAt: run.startedAt,
    finishedAt: context.finishedAt,
  };
}

/**
 * Every trial of every metric for the repeat statistics: an `errored` row per metric for each trial
 * whose target call failed (a conversation that broke on some turn included, even when its partial
 * transcript was scored), and the score rows of the other trials. So an example that always errors
 * counts against pass^k instead of disappearing from it, and an errored trial is never a pass.
 */
async function trialRows(runs: RunRepository, run: RunRecord): Promise<TrialScore[]> {
  const [scores, errors] = await Promise.all([runs.scoreRows(run.id), runs.errorRows(run.id)]);
  const erroredTrials = new Set(errors.map((e) => `${e.trial}\u0000${e.exampleId}`));
  const rows: TrialScore[] = scores.filter((r) => !erroredTrials.has(`${r.trial}\u0000${r.exampleId}`));
  for (const e of errors) for (const m of run.metrics) rows.push({ exampleId: e.exampleId, metric: m.name, status: 'errored', pass: null });
  return rows;
}
