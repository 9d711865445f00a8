import { allocateObservationColumns, type ObservationColumns } from './comparison.js';
import type { TargetErrorCell } from './impute-missing.js';
import { SCORE_STATUS_CODE, type ScoreColumns } from './score-columns.js';

/** One run's side: its score columns and the results whose target call errored (no scores). */
export interface ScoreColumnsSide {
  readonly scores: ScoreColumns;
  readonly errors: readonly TargetErrorCell[];
}

/** A metric's paired observations, in ascending example id order, and where each example sits. */
export interface PairedMetricColumns {
  readonly metric: string;
  readonly observations: ObservationColumns;
  /** Pass/fail with one trial per example on both sides (as pairObservations decides it). */
  readonly binary: boolean;
  /** Per observation: the example's index in PairedScoreColumns.exampleIds. */
  readonly example: Int32Array;
}

export interface PairedScoreColumns {
  /** Every example either side mentions (scores, target errors, missing), in no particular order. */
  readonly exampleIds: readonly string[];
  /** One entry per requested metric, in the order asked for. */
  readonly metrics: readonly PairedMetricColumns[];
}

/**
 * trialStats + pairObservations (impute-missing.ts) for every metric at once, on score columns, with
 * typed arrays instead of a map entry and an object per example and metric: the same imputation
 * (errored scores and target-errored trials count 0; a baseline example the candidate has no result
 * for at all counts one imputed failed trial), the same trial sums in the same order (so the same
 * means and variances to the last bit), the same binary rule, and the observations in the same order
 * (ascending example id by UTF-16 code units). compare-paired.test.ts checks both give equal
 * comparisons.
 */
export function pairScoreColumns(baseline: ScoreColumnsSide, candidate: ScoreColumnsSide, metrics: readonly string[], missingInCandidate: readonly string[]): PairedScoreColumns {
  const ids = new Map<string, number>();
  const idOf = (id: string): number => {
    let e = ids.get(id);
    if (e === undefined) ids.set(id, (e = ids.size));
    return e;
  };
  const bRemap = baseline.scores.exampleIds.map(idOf);
  const cRemap = candidate.scores.exampleIds.map(idOf);
  const bErrors = baseline.errors.map((e) => idOf(e.exampleId));
  const cErrors = candidate.errors.map((e) => idOf(e.exampleId));
  const missing = missingInCandidate.map(idOf);
  const exampleIds = [...ids.keys()];
  const E = exampleIds.length;
  const order = Int32Array.from(exampleIds.keys()).sort((x, y) => {
    const a = exampleIds[x] as string;
    const b = exampleIds[y] as string;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const isMissing = new Uint8Array(E);
  for (const e of missing) isMissing[e] = 1;

  const b = accumulate(baseline.scores, bRemap, bErrors, metrics, E);
  const c = accumulate(candidate.scores, cRemap, cErrors, metrics, E);
  const out: PairedMetricColumns[] = metrics.map((metric, m) => {
    if (!b.has[m] || (!c.has[m] && missing.length === 0)) return { metric, observations: { ...allocateObservationColumns(0), exampleIds: [] }, binary: false, example: new Int32Array(0) };
    const base = m * E;
    let n = 0;
    for (let j = 0; j < E; j++) {
      const e = order[j] as number;
      if (b.k[base + e] === 0) continue;
      if (c.k[base + e] !== 0 || isMissing[e]) n++;
    }
    const obs = allocateObservationColumns(n);
    const example = new Int32Array(n);
    const obsIds: string[] = new Array(n);
    let binary = true;
    let i = 0;
    for (let j = 0; j < E; j++) {
      const e = order[j] as number;
      const at = base + e;
      const bk = b.k[at] as number;
      if (bk === 0) continue;
      let ck = c.k[at] as number;
      let cSum: number;
      let cSumSquares: number;
      let cImputed: number;
      let cNonBinary: number;
      if (ck !== 0) {
        cSum = c.sum[at] as number;
        cSumSquares = c.sumSquares[at] as number;
        cImputed = c.imputed[at] as number;
        cNonBinary = c.nonBinary[at] as number;
      } else if (isMissing[e]) {
        ck = 1;
        cSum = 0;
        cSumSquares = 0;
        cImputed = 1;
        cNonBinary = 0;
      } else continue;
      if (b.nonBinary[at] || cNonBinary || bk > 1 || ck > 1) binary = false;
      const bSum = b.sum[at] as number;
      example[i] = e;
      obsIds[i] = exampleIds[e] as string;
      obs.baseline[i] = bSum / bk;
      obs.candidate[i] = cSum / ck;
      obs.baselineTrials[i] = bk;
      obs.candidateTrials[i] = ck;
      obs.baselineTrialVariance[i] = variance(bSum, b.sumSquares[at] as number, bk);
      obs.candidateTrialVariance[i] = variance(cSum, cSumSquares, ck);
      obs.baselineImputed[i] = b.imputed[at] as number;
      obs.candidateImputed[i] = cImputed;
      i++;
    }
    return { metric, observations: { ...obs, exampleIds: obsIds }, binary, example };
  });
  return { exampleIds, metrics: out };
}

interface Accumulators {
  readonly sum: Float64Array;
  readonly sumSquares: Float64Array;
  readonly k: Int32Array;
  readonly imputed: Int32Array;
  readonly nonBinary: Uint8Array;
  /** Per metric: some example has a value (scored or imputed). */
  readonly has: Uint8Array;
}

/** Per metric × example (index m · E + e): trial sum, sum of squares, count, imputed, non-0/1 seen. */
function accumulate(scores: ScoreColumns, remap: readonly number[], errors: readonly number[], metrics: readonly string[], E: number): Accumulators {
  const M = metrics.length;
  const acc: Accumulators = {
    sum: new Float64Array(M * E),
    sumSquares: new Float64Array(M * E),
    k: new Int32Array(M * E),
    imputed: new Int32Array(M * E),
    nonBinary: new Uint8Array(M * E),
    has: new Uint8Array(M),
  };
  const position = new Map<string, number>();
  metrics.forEach((name, m) => {
    if (!position.has(name)) position.set(name, m);
  });
  const metricOf = Int32Array.from(scores.metrics, (name) => position.get(name) ?? -1);
  const SCORED = SCORE_STATUS_CODE.scored;
  const ERRORED = SCORE_STATUS_CODE.errored;
  for (let r = 0; r < scores.length; r++) {
    const m = metricOf[scores.metric[r] as number] as number;
    if (m < 0) continue;
    const status = scores.status[r];
    const value = scores.value[r] as number;
    const at = m * E + (remap[scores.example[r] as number] as number);
    if (status === SCORED && !Number.isNaN(value)) {
      acc.sum[at] = (acc.sum[at] as number) + value;
      acc.sumSquares[at] = (acc.sumSquares[at] as number) + value * value;
      if (value !== 0 && value !== 1) acc.nonBinary[at] = 1;
    } else if (status === ERRORED) {
      acc.imputed[at] = (acc.imputed[at] as number) + 1;
    } else continue;
    acc.k[at] = (acc.k[at] as number) + 1;
    acc.has[m] = 1;
  }
  for (const e of errors) {
    for (let m = 0; m < M; m++) {
      const at = m * E + e;
      acc.k[at] = (acc.k[at] as number) + 1;
      acc.imputed[at] = (acc.imputed[at] as number) + 1;
      acc.has[m] = 1;
    }
  }
  return acc;
}

function variance(sum: number, sumSquares: number, k: number): number {
  if (k < 2) return 0;
  const mean = sum / k;
  return Math.max(0, (sumSquares - k * mean * mean) / (k - 1));
}
