/**
 * Seeded pseudo-random numbers for resampling and simulation: xoshiro128** (Blackman & Vigna 2018,
 * "Scrambled linear pseudorandom number generators"; 128 bits of state, period 2^128 − 1), its state
 * filled from a 32-bit seed with the Mulberry32 mixer. Reproducible on every machine; not
 * cryptographic.
 */
export interface SeededRandom {
  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** A uniform number in [0, 1) with 32 bits of resolution. */
  next(): number;
  /** A uniform integer in [0, n) for 1 ≤ n ≤ 2^21 (multiply-shift; bias below n/2^32). */
  nextInt(n: number): number;
}

/** 2^32, the divisor of the multiply-shift reduction (exact in a double). */
export const TWO_POW_32 = 4294967296;

/**
 * The four 32-bit state words xoshiro128** starts from for a seed, as signed int32 values (the form
 * the inlined step in hot loops works with). Never all zero.
 */
export function xoshiroState(seed: number): [number, number, number, number] {
  let s = seed >>> 0;
  const mix = (): number => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) | 0;
  };
  const state: [number, number, number, number] = [mix(), mix(), mix(), mix()];
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
  return state;
}

/**
 * @param seed any number; its low 32 bits select the stream
 * @example const r = seededRandom(42); r.nextInt(10) // the same value on every machine and run
 */
export function seededRandom(seed: number): SeededRandom {
  return xoshiro128(xoshiroState(seed));
}

/**
 * xoshiro128** started from explicit state words (all zero is replaced by a 1 in the first word,
 * since that state is a fixed point). For sub-streams drawn from a master generator.
 */
export function xoshiro128(state: readonly [number, number, number, number]): SeededRandom {
  let [a, b, c, d] = state.map((w) => w | 0) as [number, number, number, number];
  if ((a | b | c | d) === 0) a = 1;
  const nextUint32 = (): number => {
    const m = Math.imul(b, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9);
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = (d << 11) | (d >>> 21);
    return result >>> 0;
  };
  return {
    nextUint32,
    next: () => nextUint32() / TWO_POW_32,
    nextInt: (n: number) => Math.floor((nextUint32() * n) / TWO_POW_32),
  };
}
