/**
 * The most any detector can do with one day of data: the Neyman–Pearson test of rate p0 against p1
 * on a day's Binomial(perDay) count, at a given false-alarm probability per day, computed exactly.
 * A bound for the "within one day" target when the change falls at midnight and noise is binomial.
 */
function binomialPmf(n, p) {
  const pmf = new Float64Array(n + 1);
  let logC = 0;
  for (let k = 0; k <= n; k++) {
    if (k > 0) logC += Math.log(n - k + 1) - Math.log(k);
    pmf[k] = Math.exp(logC + k * Math.log(p) + (n - k) * Math.log(1 - p));
  }
  return pmf;
}

/** Largest cutoff c with P0(X ≤ c) ≤ α, and the power P1(X ≤ c). */
export function dayAlignedCeiling({ perDay, p0, p1, falseAlarmsPerDay }) {
  const f0 = binomialPmf(perDay, p0);
  const f1 = binomialPmf(perDay, p1);
  let c0 = 0;
  let c1 = 0;
  let cutoff = -1;
  for (let k = 0; k <= perDay; k++) {
    if (c0 + f0[k] > falseAlarmsPerDay) break;
    c0 += f0[k];
    c1 += f1[k];
    cutoff = k;
  }
  return { cutoff, size: c0, power: c1 };
}

/**
 * The Neyman–Pearson oracle on simulated data: the alarm is "at most c passes in the window", with c
 * the largest cutoff whose share of stationary windows at or below it is ≤ α; its power is the share
 * of post-change windows at or below c.
 * @param stationary passes in stationary windows; @param changed passes in the windows right after a change
 */
export function empiricalOracle(stationary, changed, alpha) {
  const sorted = [...stationary].sort((a, b) => a - b);
  let cutoff = -1;
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j / sorted.length > alpha) break;
    cutoff = sorted[i];
    i = j;
  }
  return { cutoff, size: sorted.filter((x) => x <= cutoff).length / sorted.length, power: changed.filter((x) => x <= cutoff).length / changed.length };
}
