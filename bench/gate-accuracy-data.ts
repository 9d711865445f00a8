/**
 * Synthetic paired evaluations with a known truth, for bench/gate-accuracy.ts.
 *
 * Every example has its own true pass probability p_i, drawn from a Beta distribution with mean
 * `baseRate` and concentration κ = α + β: real eval sets mix examples a system nearly always passes,
 * some it nearly always fails, and a few in between. The baseline and the candidate then score each
 * example independently given p_i, so their outcomes on the same example are correlated with
 * ρ = 1/(κ + 1) — the reason a paired test is far more sensitive than comparing two pass rates.
 * κ = Infinity gives every example the same p (ρ = 0), the least favourable case for a paired test.
 */
import { compareMetric, type CompareMetricOptions } from '../src/core/compare-metric.js';
import type { MetricComparison, PairedObservation } from '../src/core/comparison.js';
import type { SeededRandom } from '../src/core/stats/seeded-random.js';

export type Effect =
  | { readonly kind: 'none' }
  /** Metric 0's pass probability scaled by to/baseRate on every example (others unchanged). */
  | { readonly kind: 'uniform'; readonly to: number }
  /** Metric 0's pass probability scaled by to/baseRate on the examples of slice 0 only. */
  | { readonly kind: 'slice'; readonly to: number };

export interface DataSpec {
  readonly n: number;
  readonly slices: number;
  readonly metrics: number;
  readonly baseRate: number;
  /** κ of the Beta distribution of per-example pass probabilities; Infinity: all equal. */
  readonly concentration: number;
  readonly effect: Effect;
  /** Trials per example and side: 1 gives binary observations, more give per-example pass rates. */
  readonly trials: number;
}

export interface SyntheticComparison {
  /** Per metric name, one observation per example, in example order. */
  readonly observations: ReadonlyMap<string, readonly PairedObservation[]>;
  /** Slice of example i: `slice:${i % slices}` (examples assigned evenly). */
  readonly sliceOf: (i: number) => string;
}

/** One synthetic baseline/candidate pair of runs. */
export function syntheticComparison(spec: DataSpec, random: SeededRandom): SyntheticComparison {
  const observations = new Map<string, PairedObservation[]>();
  for (let m = 0; m < spec.metrics; m++) {
    const list: PairedObservation[] = [];
    for (let i = 0; i < spec.n; i++) {
      const p = Number.isFinite(spec.concentration) ? beta(spec.baseRate * spec.concentration, (1 - spec.baseRate) * spec.concentration, random) : spec.baseRate;
      const q = m === 0 ? withEffect(p, i, spec) : p;
      const b = trials(p, spec.trials, random);
      const c = trials(q, spec.trials, random);
      list.push({ exampleId: `e${i}`, baseline: b.mean, candidate: c.mean, baselineTrials: spec.trials, candidateTrials: spec.trials, baselineTrialVariance: b.variance, candidateTrialVariance: c.variance });
    }
    observations.set(`metric_${m}`, list);
  }
  return { observations, sliceOf: (i) => `slice:${i % spec.slices}` };
}

/** The candidate's pass probability for example i of metric 0. */
function withEffect(p: number, i: number, spec: DataSpec): number {
  const e = spec.effect;
  if (e.kind === 'none' || (e.kind === 'slice' && i % spec.slices !== 0)) return p;
  return p * (e.to / spec.baseRate);
}

function trials(p: number, k: number, random: SeededRandom): { mean: number; variance: number } {
  let passes = 0;
  for (let t = 0; t < k; t++) if (random.next() < p) passes++;
  const mean = passes / k;
  const variance = k < 2 ? 0 : (passes * (1 - mean) ** 2 + (k - passes) * mean ** 2) / (k - 1);
  return { mean, variance };
}

/** Beta(a, b) as G_a / (G_a + G_b) with independent gamma variates. */
function beta(a: number, b: number, random: SeededRandom): number {
  const x = gamma(a, random);
  const y = gamma(b, random);
  return x + y === 0 ? (random.next() < a / (a + b) ? 1 : 0) : x / (x + y);
}

/**
 * Gamma(shape, 1) by Marsaglia & Tsang (2000), "A simple method for generating gamma variables";
 * for shape < 1, G(shape) = G(shape + 1)·U^(1/shape).
 */
function gamma(shape: number, random: SeededRandom): number {
  if (shape < 1) return gamma(shape + 1, random) * Math.pow(1 - random.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random.next();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Standard normal variate (Marsaglia's polar method; the second variate is discarded for simplicity). */
function normal(random: SeededRandom): number {
  for (;;) {
    const u = 2 * random.next() - 1;
    const v = 2 * random.next() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/** Every metric of a synthetic comparison, overall and per slice, compared as the gate compares them. */
export function compareSynthetic(data: SyntheticComparison, options: CompareMetricOptions): MetricComparison[] {
  const all: MetricComparison[] = [];
  for (const [metric, observations] of data.observations) {
    all.push(compareMetric(metric, null, observations, options));
    const bySlice = new Map<string, PairedObservation[]>();
    observations.forEach((o, i) => {
      const s = data.sliceOf(i);
      const list = bySlice.get(s) ?? [];
      list.push(o);
      bySlice.set(s, list);
    });
    for (const [slice, obs] of bySlice) all.push(compareMetric(metric, slice, obs, options));
  }
  return all;
}
