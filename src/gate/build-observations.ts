import type { PairedObservation } from '../core/comparison.js';
import type { ScoreRow } from '../store/run-repository.js';

interface Accumulator {
  sum: number;
  sumSquares: number;
  k: number;
  binary: boolean;
}

/** Per metric, per example: the scored trials' sum, sum of squares and count. */
export type TrialStats = Map<string, Map<string, Accumulator>>;

/** Folds a run's score rows into per-example trial statistics (errored and skipped scores left out). */
export function trialStats(rows: readonly ScoreRow[]): TrialStats {
  const out: TrialStats = new Map();
  for (const r of rows) {
    if (r.status !== 'scored' || r.value === null) continue;
    let byExample = out.get(r.metric);
    if (!byExample) out.set(r.metric, (byExample = new Map()));
    const acc = byExample.get(r.exampleId) ?? { sum: 0, sumSquares: 0, k: 0, binary: true };
    acc.sum += r.value;
    acc.sumSquares += r.value * r.value;
    acc.k += 1;
    if (r.value !== 0 && r.value !== 1) acc.binary = false;
    byExample.set(r.exampleId, acc);
  }
  return out;
}

/**
 * Pairs two runs' statistics of one metric by example id: one observation per example scored in
 * both runs (trials averaged), and whether the metric is binary (0/1 values, one trial each side).
 */
export function pairObservations(baseline: Map<string, Accumulator> | undefined, candidate: Map<string, Accumulator> | undefined): { observations: PairedObservation[]; binary: boolean } {
  const observations: PairedObservation[] = [];
  let binary = true;
  if (!baseline || !candidate) return { observations, binary: false };
  for (const [exampleId, b] of baseline) {
    const c = candidate.get(exampleId);
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
