import type { PairedObservation } from './comparison.js';
import type { ScoreStatus } from './score.js';

/**
 * Missing results never help a candidate (DESIGN.md §7). A result the system under test failed to
 * produce — a target error (exception, timeout, non-zero exit, unparsable output) or a scorer that
 * could not decide — is where the system broke, not a random gap, so dropping it from a comparison
 * would hide exactly the failures that matter. Every such trial is imputed as the worst score, value
 * 0 (a fail of a pass/fail metric, the lowest grade of a graded one), on whichever side it happened.
 */

/** One score of a run in compact form (the shape of the store's score rows). */
export interface ScoreCell {
  readonly exampleId: string;
  readonly trial: number;
  readonly metric: string;
  readonly status: ScoreStatus;
  readonly value: number | null;
  readonly pass: boolean | null;
}

/** One example × trial whose target call failed: it has a result row with an error and no scores. */
export interface TargetErrorCell {
  readonly exampleId: string;
  readonly trial: number;
}

export interface Accumulator {
  sum: number;
  sumSquares: number;
  k: number;
  binary: boolean;
  /** Trials imputed as 0 (target error or scorer error). */
  imputed: number;
}

/** Per metric, per example: the trials' sum, sum of squares, count and how many were imputed. */
export type TrialStats = Map<string, Map<string, Accumulator>>;

/**
 * Folds a run's score rows into per-example trial statistics. Scored trials count with their value;
 * errored scores and, for every metric in `metrics`, every target-errored trial count as 0 and are
 * marked imputed. Skipped scores (the metric does not apply) are left out.
 * @example trialStats(rows, [{ exampleId: 'e1', trial: 0 }], ['cites_policy'])
 */
export function trialStats(rows: readonly ScoreCell[], targetErrors: readonly TargetErrorCell[] = [], metrics: readonly string[] = []): TrialStats {
  const out: TrialStats = new Map();
  const add = (metric: string, exampleId: string, value: number, imputed: boolean): void => {
    let byExample = out.get(metric);
    if (!byExample) out.set(metric, (byExample = new Map()));
    let acc = byExample.get(exampleId);
    if (!acc) byExample.set(exampleId, (acc = { sum: 0, sumSquares: 0, k: 0, binary: true, imputed: 0 }));
    acc.sum += value;
    acc.sumSquares += value * value;
    acc.k += 1;
    if (value !== 0 && value !== 1) acc.binary = false;
    if (imputed) acc.imputed += 1;
  };
  for (const r of rows) {
    if (r.status === 'scored' && r.value !== null) add(r.metric, r.exampleId, r.value, false);
    else if (r.status === 'errored') add(r.metric, r.exampleId, 0, true);
  }
  for (const e of targetErrors) for (const m of metrics) add(m, e.exampleId, 0, true);
  return out;
}

/** The accumulator of an example the candidate has no result for at all: one imputed failed trial. */
const MISSING: Readonly<Accumulator> = { sum: 0, sumSquares: 0, k: 1, binary: true, imputed: 1 };

/**
 * Pairs two runs' statistics of one metric by example id: one observation per example with a value
 * (scored or imputed) in both runs, trials averaged, and whether the metric is binary (0/1 values, one
 * trial each side). `missingInCandidate` lists examples the baseline has and the candidate has no
 * result for at all although it ran the same dataset version: each is paired with an imputed fail.
 */
export function pairObservations(
  baseline: ReadonlyMap<string, Accumulator> | undefined,
  candidate: ReadonlyMap<string, Accumulator> | undefined,
  missingInCandidate: ReadonlySet<string> = new Set(),
): { observations: PairedObservation[]; binary: boolean } {
  const observations: PairedObservation[] = [];
  let binary = true;
  if (!baseline || (!candidate && missingInCandidate.size === 0)) return { observations, binary: false };
  for (const [exampleId, b] of baseline) {
    const c = candidate?.get(exampleId) ?? (missingInCandidate.has(exampleId) ? MISSING : undefined);
    if (!c) continue;
    if (!b.binary || !c.binary || b.k > 1 || c.k > 1) binary = false;
    observations.push({
      exampleId,
      baseline: b.sum / b.k,
      candidate: c.sum / c.k,
      baselineTrials: b.k,
      candidateTrials: c.k,
      baselineTrialVariance: variance(b),
      candidateTrialVariance: variance(c),
      ...(b.imputed > 0 ? { baselineImputed: b.imputed } : {}),
      ...(c.imputed > 0 ? { candidateImputed: c.imputed } : {}),
    });
  }
  observations.sort((x, y) => (x.exampleId < y.exampleId ? -1 : x.exampleId > y.exampleId ? 1 : 0));
  return { observations, binary };
}

function variance(a: Accumulator): number {
  if (a.k < 2) return 0;
  const mean = a.sum / a.k;
  return Math.max(0, (a.sumSquares - a.k * mean * mean) / (a.k - 1));
}
