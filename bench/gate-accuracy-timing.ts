/**
 * Micro-benchmark of compareMetric on 10,000 paired examples, binary and continuous (2,000 bootstrap
 * resamples), for bench/gate-accuracy.ts. Median of several runs after a warm-up.
 */
import { compareMetric } from '../src/core/compare-metric.js';
import type { PairedObservation } from '../src/core/comparison.js';
import { seededRandom } from '../src/core/stats/seeded-random.js';

export interface TimingRow {
  readonly what: string;
  readonly medianMs: number;
  readonly minMs: number;
}

export function timeCompareMetric(runs = 7): TimingRow[] {
  const r = seededRandom(2024);
  const n = 10_000;
  const binary: PairedObservation[] = [];
  const continuous: PairedObservation[] = [];
  for (let i = 0; i < n; i++) {
    binary.push({ exampleId: `e${i}`, baseline: r.next() < 0.85 ? 1 : 0, candidate: r.next() < 0.84 ? 1 : 0, baselineTrials: 1, candidateTrials: 1, baselineTrialVariance: 0, candidateTrialVariance: 0 });
    continuous.push({ exampleId: `e${i}`, baseline: r.next(), candidate: r.next(), baselineTrials: 3, candidateTrials: 3, baselineTrialVariance: 0.05, candidateTrialVariance: 0.05 });
  }
  return [
    { what: 'compareMetric, 10,000 binary examples (McNemar exact + Newcombe)', ...time(() => compareMetric('m', null, binary, { binary: true, seed: 1 }), runs) },
    { what: 'compareMetric, 10,000 continuous examples (2,000 bootstrap resamples + sign-flip)', ...time(() => compareMetric('m', null, continuous, { binary: false, seed: 1 }), runs) },
  ];
}

function time(fn: () => unknown, runs: number): { medianMs: number; minMs: number } {
  fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { medianMs: ms[Math.floor(ms.length / 2)] as number, minMs: ms[0] as number };
}
