import { z } from 'zod';
import { MetricComparisonSchema, type MetricComparison } from '../core/comparison.js';
import { compareMetric } from '../core/compare-metric.js';
import { EvalOpsError } from '../core/errors.js';
import { adjustComparisons, correctionFor } from '../core/stats/adjust-comparisons.js';
import type { ScoreRow } from '../store/run-repository.js';
import type { Store } from '../store/store.js';
import { pairObservations, trialStats } from './build-observations.js';

export const RunComparisonSchema = z.object({
  baselineRunId: z.string(),
  candidateRunId: z.string(),
  dataset: z.object({
    baseline: z.object({ name: z.string(), version: z.string() }),
    candidate: z.object({ name: z.string(), version: z.string() }),
    same: z.boolean(),
  }),
  pairing: z.object({
    paired: z.number().int(),
    baselineOnly: z.array(z.string()),
    candidateOnly: z.array(z.string()),
  }),
  metrics: z.array(z.string()),
  unmatchedMetrics: z.object({ baselineOnly: z.array(z.string()), candidateOnly: z.array(z.string()) }),
  /** Metrics whose scorer changed between the runs: their deltas mix a code change with a scorer change. */
  scorerChanges: z.array(z.string()),
  /** weighted Holm, or the graphical procedure when the candidate run has `primary: true` metrics. */
  correction: z.enum(['holm', 'graphical']),
  comparisons: z.array(MetricComparisonSchema),
  warnings: z.array(z.string()),
});
export type RunComparison = z.infer<typeof RunComparisonSchema>;

/** Score rows and slices a caller has already loaded (the gate loads them once for everything). */
export interface ComparisonData {
  readonly baselineRows: readonly ScoreRow[];
  readonly candidateRows: readonly ScoreRow[];
  readonly slices: ReadonlyMap<string, readonly string[]>;
}

export interface CompareOptions {
  readonly data?: ComparisonData;
  /** Compare runs of different dataset versions on their common examples (with a warning). */
  readonly commonExamples?: boolean;
  readonly seed?: number;
  readonly iterations?: number;
}

/**
 * `evalops compare`: pairs two stored runs by example id and compares every shared metric overall and
 * in every slice. All tests of one comparison (every metric × {overall, each slice}) form one family,
 * corrected with the weighted Holm step-down method on one-sided p-values for a drop (each metric an
 * equal share of α, half of it for its whole-dataset test, the rest split over its slices — see
 * core/stats/adjust-comparisons.ts), so the chance that noise alone marks anything regressed stays at
 * 5% however many slices and metrics there are.
 */
export async function compareRuns(store: Store, baselineRunId: string, candidateRunId: string, options: CompareOptions = {}): Promise<RunComparison> {
  const [baseline, candidate] = await Promise.all([store.runs.get(baselineRunId), store.runs.get(candidateRunId)]);
  if (baseline.projectId !== candidate.projectId) {
    throw new EvalOpsError('usage', `runs ${baselineRunId} and ${candidateRunId} belong to different projects; they cannot be compared`);
  }
  const [bv, cv] = await Promise.all([store.datasets.getVersionById(baseline.datasetVersionId), store.datasets.getVersionById(candidate.datasetVersionId)]);
  const warnings: string[] = [];
  const sameDataset = bv.id === cv.id;
  if (!sameDataset) {
    const what = bv.datasetName === cv.datasetName ? `versions ${bv.hash} and ${cv.hash} of dataset ${bv.datasetName}` : `datasets ${bv.datasetName}@${bv.hash} and ${cv.datasetName}@${cv.hash}`;
    if (!options.commonExamples) {
      throw new EvalOpsError('usage', `the runs used different ${what}; pass --common-examples to compare them on the examples they share`);
    }
  }

  const [bRows, cRows, bIds, cIds, slices] = await Promise.all([
    options.data?.baselineRows ?? store.runs.scoreRows(baselineRunId),
    options.data?.candidateRows ?? store.runs.scoreRows(candidateRunId),
    store.runs.exampleIds(baselineRunId),
    store.runs.exampleIds(candidateRunId),
    options.data?.slices ?? store.datasets.exampleSlices(candidate.datasetVersionId),
  ]);
  const bSet = new Set(bIds);
  const cSet = new Set(cIds);
  const baselineOnly = bIds.filter((id) => !cSet.has(id)).sort();
  const candidateOnly = cIds.filter((id) => !bSet.has(id)).sort();
  const paired = bIds.filter((id) => cSet.has(id)).length;
  if (!sameDataset) {
    warnings.push(`DIFFERENT DATASETS: compared on the ${paired} examples both runs share; ${baselineOnly.length} only in the baseline, ${candidateOnly.length} only in the candidate`);
  } else if (baselineOnly.length || candidateOnly.length) {
    warnings.push(`${baselineOnly.length} example(s) only in the baseline and ${candidateOnly.length} only in the candidate are not compared (incomplete run?)`);
  }

  const bMetrics = new Map(baseline.metrics.map((m) => [m.name, m]));
  const cMetrics = new Map(candidate.metrics.map((m) => [m.name, m]));
  const metrics = candidate.metrics.map((m) => m.name).filter((n) => bMetrics.has(n));
  const scorerChanges = metrics.filter((n) => bMetrics.get(n)?.scorerVersion !== cMetrics.get(n)?.scorerVersion);
  for (const m of scorerChanges) warnings.push(`metric ${m}: the scorer changed between the runs, so its delta mixes both changes`);

  const bStats = trialStats(bRows);
  const cStats = trialStats(cRows);
  const seed = options.seed ?? 20_261_122;
  const raw: MetricComparison[] = [];
  for (const metric of metrics) {
    const { observations, binary } = pairObservations(bStats.get(metric), cStats.get(metric));
    const base = { binary, seed, ...(options.iterations ? { iterations: options.iterations } : {}) };
    raw.push(compareMetric(metric, null, observations, base));
    const bySlice = new Map<string, typeof observations>();

    for (const o of observations) {
      for (const s of slices.get(o.exampleId) ?? []) {
        const list = bySlice.get(s) ?? [];
        list.push(o);
        bySlice.set(s, list);
      }
    }
    for (const [slice, obs] of [...bySlice].sort(([a], [b]) => a.localeCompare(b))) raw.push(compareMetric(metric, slice, obs, base));
  }

  const primaries = candidate.metrics.filter((m) => m.primary && bMetrics.has(m.name)).map((m) => m.name);
  const comparisons = adjustComparisons(raw, { primaries });

  return {
    baselineRunId,
    candidateRunId,
    dataset: { baseline: { name: bv.datasetName, version: bv.hash }, candidate: { name: cv.datasetName, version: cv.hash }, same: sameDataset },
    pairing: { paired, baselineOnly, candidateOnly },
    metrics,
    unmatchedMetrics: {
      baselineOnly: baseline.metrics.map((m) => m.name).filter((n) => !cMetrics.has(n)),
      candidateOnly: candidate.metrics.map((m) => m.name).filter((n) => !bMetrics.has(n)),
    },
    scorerChanges,
    correction: correctionFor(raw, { primaries }),
    comparisons,
    warnings,
  };
}
