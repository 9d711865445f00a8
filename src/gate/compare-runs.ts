import { z } from 'zod';
import { MetricComparisonSchema, type MetricComparison } from '../core/comparison.js';
import { comparePaired } from '../core/compare-paired.js';
import { ErrorComparisonSchema, type ErrorCell } from '../core/error-rate.js';
import { EvalOpsError } from '../core/errors.js';
import { RunSubsetSchema } from '../core/subset/subset-spec.js';
import { filterScoreColumns, type ScoreColumns } from '../core/score-columns.js';
import type { ScoreRow } from '../store/run-repository.js';
import type { Store } from '../store/store.js';

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
  /** The candidate's subset, when it ran on one: the baseline was restricted to its examples. */
  subset: RunSubsetSchema.extend({ baselineLeftOut: z.number().int().describe('baseline examples outside the subset, not compared') }).optional(),
  metrics: z.array(z.string()),
  unmatchedMetrics: z.object({ baselineOnly: z.array(z.string()), candidateOnly: z.array(z.string()) }),
  /** Metrics whose scorer changed between the runs: their deltas mix a code change with a scorer change. */
  scorerChanges: z.array(z.string()),
  /** weighted Holm, or the graphical procedure when the candidate run has `primary: true` metrics. */
  correction: z.enum(['holm', 'graphical']),
  comparisons: z.array(MetricComparisonSchema),
  /**
   * Target errors of each run (counts, top messages) and the error-rate test. Errored results and,
   * on one dataset version, baseline examples the candidate has no result for are imputed as fails
   * in `comparisons` (each comparison's `imputed` says how many pairs per side).
   */
  errors: ErrorComparisonSchema,
  warnings: z.array(z.string()),
});
export type RunComparison = z.infer<typeof RunComparisonSchema>;

/** Score rows and slices a caller has already loaded (the gate loads them once for everything). */
export interface ComparisonData {
  readonly baselineRows: readonly ScoreRow[] | ScoreColumns;
  readonly candidateRows: readonly ScoreRow[] | ScoreColumns;
  readonly baselineErrors?: readonly ErrorCell[];
  readonly candidateErrors?: readonly ErrorCell[];
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
 *
 * Missing results never help the candidate: a target or scorer error is a fail (value 0) of the
 * metric on its side, and on one dataset version a baseline example the candidate has no result for
 * counts as a candidate fail (core/impute-missing.ts). Examples only the candidate has are not paired:
 * the baseline's absence says nothing of its quality, and imputing it would favour the candidate.
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

  const [bRowsAll, cRows, bErrorsAll, cErrors, bIdsAll, cIds, slices] = await Promise.all([
    options.data?.baselineRows ?? store.runs.scoreColumns(baselineRunId),
    options.data?.candidateRows ?? store.runs.scoreColumns(candidateRunId),
    options.data?.baselineErrors ?? store.runs.errorRows(baselineRunId),
    options.data?.candidateErrors ?? store.runs.errorRows(candidateRunId),
    store.runs.exampleIds(baselineRunId),
    store.runs.exampleIds(candidateRunId),
    options.data?.slices ?? store.datasets.exampleSlices(candidate.datasetVersionId),
  ]);
  // A candidate run on a subset is compared with the same items of the baseline: the rest of the
  // baseline is left out, and a subset item the candidate has no result for still counts against it.
  const subsetRecord = await store.subsets.forRun(candidateRunId);
  let bRows = bRowsAll;
  let bErrors = bErrorsAll;
  let bIds = bIdsAll;
  let leftOut = 0;
  if (subsetRecord) {
    const inSubset = new Set(subsetRecord.exampleIds);
    bRows = Array.isArray(bRowsAll) ? (bRowsAll as readonly ScoreRow[]).filter((r) => inSubset.has(r.exampleId)) : filterScoreColumns(bRowsAll as ScoreColumns, (id) => inSubset.has(id));
    bErrors = bErrorsAll.filter((r) => inSubset.has(r.exampleId));
    bIds = bIdsAll.filter((id) => inSubset.has(id));
    leftOut = bIdsAll.length - bIds.length;
    const s = subsetRecord.subset;
    warnings.push(`candidate ran on subset ${s.name} (${s.size} of ${s.datasetSize} examples): compared with the same ${bIds.length} examples of the baseline, ${leftOut} left out; the full suite decides on main`);
  }
  const bSet = new Set(bIds);
  const cSet = new Set(cIds);
  const baselineOnly = bIds.filter((id) => !cSet.has(id)).sort();
  const candidateOnly = cIds.filter((id) => !bSet.has(id)).sort();
  const paired = bIds.filter((id) => cSet.has(id)).length;
  if (!sameDataset) {
    warnings.push(`DIFFERENT DATASETS: compared on the ${paired} examples both runs share; ${baselineOnly.length} only in the baseline, ${candidateOnly.length} only in the candidate`);
  } else {
    if (baselineOnly.length) warnings.push(`${baselineOnly.length} example(s) of the baseline have no result in the candidate: each counts as a candidate fail of every metric (incomplete run?)`);
    if (candidateOnly.length) warnings.push(`${candidateOnly.length} example(s) only in the candidate are not compared: the baseline has no result for them`);
  }

  const bMetrics = new Map(baseline.metrics.map((m) => [m.name, m]));
  const cMetrics = new Map(candidate.metrics.map((m) => [m.name, m]));
  const metrics = candidate.metrics.map((m) => m.name).filter((n) => bMetrics.has(n));
  const scorerChanges = metrics.filter((n) => bMetrics.get(n)?.scorerVersion !== cMetrics.get(n)?.scorerVersion);
  for (const m of scorerChanges) warnings.push(`metric ${m}: the scorer changed between the runs, so its delta mixes both changes`);

  const { comparisons, errors, correction } = comparePaired({
    baseline: { rows: bRows, errors: bErrors, exampleIds: bIds },
    candidate: { rows: cRows, errors: cErrors, exampleIds: cIds },
    metrics,
    slices,
    primaries: candidate.metrics.filter((m) => m.primary && bMetrics.has(m.name)).map((m) => m.name),
    missingInCandidate: sameDataset ? baselineOnly : [],
    seed: options.seed ?? 20_261_122,
    ...(options.iterations ? { iterations: options.iterations } : {}),
  });
  warnings.push(...imputationWarnings(comparisons, errors));

  return {
    baselineRunId,
    candidateRunId,
    dataset: { baseline: { name: bv.datasetName, version: bv.hash }, candidate: { name: cv.datasetName, version: cv.hash }, same: sameDataset },
    pairing: { paired, baselineOnly, candidateOnly },
    ...(subsetRecord ? { subset: { ...subsetRecord.subset, baselineLeftOut: leftOut } } : {}),
    metrics,
    unmatchedMetrics: {
      baselineOnly: baseline.metrics.map((m) => m.name).filter((n) => !cMetrics.has(n)),
      candidateOnly: candidate.metrics.map((m) => m.name).filter((n) => !bMetrics.has(n)),
    },
    scorerChanges,
    correction,
    comparisons,
    errors,
    warnings,
  };
}

/** Says, once per side, that errored results were counted as fails (the counts are in the comparisons). */
function imputationWarnings(comparisons: readonly MetricComparison[], errors: RunComparison['errors']): string[] {
  const out: string[] = [];
  const side = (name: 'baseline' | 'candidate'): void => {
    const e = errors[name];
    const imputed = comparisons.filter((c) => c.slice === null && c.imputed[name] > 0).map((c) => `${c.metric} ${c.imputed[name]}`);
    if (e.results === 0 && imputed.length === 0) return;
    const what = e.results ? `${e.results} errored result(s) on ${e.examples - e.missing} example(s)${e.top[0] ? ` (most often: ${e.top[0].message})` : ''}` : 'scorer errors';
    out.push(`${name}: ${what}; counted as fails, pairs imputed per metric: ${imputed.join(', ') || 'none'}`);
  };
  side('baseline');
  side('candidate');
  return out;
}
