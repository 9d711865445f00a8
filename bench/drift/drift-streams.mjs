/**
 * Synthetic production streams for the drift bench: scored traces of one pass/fail metric, 500 a day,
 * base pass rate 0.85, a weekly cycle of ±1 point (2 points peak to peak, random phase per replay),
 * and overdispersion between days — each day's true rate is drawn from a Beta distribution around
 * its weekday mean (beta-binomial daily counts). A change lowers every later trace's rate by `drop`.
 */
import { seededRandom } from '../../dist/core/stats/seeded-random.js';

export const STREAM = Object.freeze({
  perDay: 500,
  base: 0.85,
  weeklyAmplitude: 0.01,
  /** Beta concentration κ of a day's rate: extra between-day sd √(p(1−p)/(κ+1)) ≈ 0.65 points. */
  concentration: 3000,
});

function gaussian(rng) {
  let u = 0;
  while (u === 0) u = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Marsaglia & Tsang (2000) gamma sampler, shape ≥ 1. */
function gamma(rng, shape) {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x;
    let v;
    do {
      x = gaussian(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

function beta(rng, a, b) {
  const x = gamma(rng, a);
  return x / (x + gamma(rng, b));
}

/**
 * One replay: `days` days of traces as a Uint8Array of 0/1 outcomes (trace i happens at day i/perDay),
 * with the change (if any) at trace index `changeAt`.
 */
export function generateStream({ seed, days, changeAt = Infinity, drop = 0, stream = STREAM }) {
  const rng = seededRandom(seed);
  const phase = rng.next() * 7;
  const out = new Uint8Array(days * stream.perDay);
  const dailyRates = [];
  for (let day = 0; day < days; day++) {
    const mean = stream.base + stream.weeklyAmplitude * Math.sin((2 * Math.PI * (day + phase)) / 7);
    const rate = beta(rng, mean * stream.concentration, (1 - mean) * stream.concentration);
    dailyRates.push(rate);
    for (let j = 0; j < stream.perDay; j++) {
      const i = day * stream.perDay + j;
      out[i] = rng.next() < (i >= changeAt ? rate - drop : rate) ? 1 : 0;
    }
  }
  return { outcomes: out, dailyRates };
}
