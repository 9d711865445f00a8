import { observationColumns, type ObservationColumns, type PairedObservation } from '../comparison.js';
import { EvalOpsError } from '../errors.js';
import { Z95 } from '../stats.js';

/**
 * The 95% half-width of the mean paired delta that trial-to-trial noise alone produces, from
 * repeated trials (`--repeat`). A drop smaller than this is not called a regression.
 *
 * Derivation. Example i has true means μ_b,i and μ_c,i; its observed means average k_b,i and k_c,i
 * independent trials with within-example variances σ²_b,i and σ²_c,i, so, holding the examples
 * fixed, Var(ȳ_c,i − ȳ_b,i) = σ²_b,i/k_b,i + σ²_c,i/k_c,i. The mean delta D̄ = (1/n)·Σ_i (ȳ_c,i − ȳ_b,i)
 * sums n independent such terms:
 *
 *   Var(D̄ | examples) = (1/n²)·Σ_i (σ²_b,i/k_b,i + σ²_c,i/k_c,i)
 *                      = [mean_i(σ²_b,i/k_b,i) + mean_i(σ²_c,i/k_c,i)] / n
 *
 * and the half-width is z·√Var. Each σ² is estimated by the example's sample variance of its trials
 * (unbiased, denominator k − 1).
 *
 * An example with a single trial on one side has no variance estimate there; it is given the mean
 * variance of that side's repeated examples, or, if that side has none (e.g. baseline run once,
 * candidate three times), of the other side's — the scorers are the same, so their noise is the best
 * available guess, and leaving it out would understate the floor.
 *
 * @returns null when no example has two or more trials on either side (or there are no observations)
 * @example trialNoiseFloor(observations) // 0.012: noise alone moves the mean delta by ±1.2 points
 */
export function trialNoiseFloor(observations: readonly PairedObservation[], z: number = Z95): number | null {
  return trialNoiseFloorColumns(observationColumns(observations), z);
}

/** trialNoiseFloor on observations held in columns (comparison.ts). */
export function trialNoiseFloorColumns(cols: ObservationColumns, z: number = Z95): number | null {
  const { n } = cols;
  if (n === 0) return null;
  let sumB = 0;
  let countB = 0;
  let sumC = 0;
  let countC = 0;
  for (let i = 0; i < n; i++) {
    const kb = cols.baselineTrials[i] as number;
    const kc = cols.candidateTrials[i] as number;
    const vb = cols.baselineTrialVariance[i] as number;
    const vc = cols.candidateTrialVariance[i] as number;
    check(cols, i, kb, vb, 'baseline');
    check(cols, i, kc, vc, 'candidate');
    if (kb >= 2) {
      sumB += vb;
      countB += 1;
    }
    if (kc >= 2) {
      sumC += vc;
      countC += 1;
    }
  }
  if (countB === 0 && countC === 0) return null;
  const pooledB = countB > 0 ? sumB / countB : sumC / countC;
  const pooledC = countC > 0 ? sumC / countC : sumB / countB;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const kb = cols.baselineTrials[i] as number;
    const kc = cols.candidateTrials[i] as number;
    total += (kb >= 2 ? (cols.baselineTrialVariance[i] as number) : pooledB) / kb;
    total += (kc >= 2 ? (cols.candidateTrialVariance[i] as number) : pooledC) / kc;
  }
  // total / n = mean_i(σ²_b,i/k_b,i) + mean_i(σ²_c,i/k_c,i); divide once more by n for Var(D̄).
  return z * Math.sqrt(total / n / n);
}

function check(cols: ObservationColumns, i: number, k: number, v: number, side: 'baseline' | 'candidate'): void {
  if (!Number.isInteger(k) || k < 1) throw new EvalOpsError('input', `observation ${i} (${cols.exampleIds[i]}): ${side} trials must be a whole number ≥ 1, not ${k}`);
  if (!(v >= 0 && Number.isFinite(v))) throw new EvalOpsError('input', `observation ${i} (${cols.exampleIds[i]}): ${side} trial variance must be finite and ≥ 0, not ${v}`);
}
