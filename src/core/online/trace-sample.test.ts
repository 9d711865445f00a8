import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../stats/seeded-random.js';
import { inSample, traceSampleFraction } from './trace-sample.js';

/** `count` 32-hex-digit trace ids, as OpenTelemetry SDKs write them. */
function randomTraceIds(count: number, seed: number): string[] {
  const random = seededRandom(seed); // the same "random" ids on every run
  const next = (): number => random.next();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    let id = '';
    for (let j = 0; j < 4; j++) id += Math.floor(next() * 2 ** 32).toString(16).padStart(8, '0');
    ids.push(id);
  }
  return ids;
}

/**
 * The leading 21 bits of SHA-256 of the lower-cased id, computed independently of the module with
 * node:crypto and BigInt (the first 6 hex digits are 24 bits; dropping the last 3 leaves 21).
 */
function leading21Bits(traceId: string): number {
  const hex = createHash('sha256').update(traceId.toLowerCase()).digest('hex');
  return Number(BigInt(`0x${hex.slice(0, 6)}`) >> 3n);
}

/** The first 53 bits of SHA-256 of the lower-cased id as a fraction, computed with BigInt (14 hex digits are 56 bits; drop 3). */
function first53Bits(traceId: string): number {
  const hex = createHash('sha256').update(traceId.toLowerCase()).digest('hex');
  return Number(BigInt(`0x${hex.slice(0, 14)}`) >> 3n) / 2 ** 53;
}

describe('traceSampleFraction', () => {
  const ids = randomTraceIds(10_000, 1);

  it('is the first 53 bits of SHA-256 of the lower-cased id, so any other implementation can pick the same traces', () => {
    for (const id of [...ids.slice(0, 200), '4bf92f3577b34da6a3ce929d0e0e4736']) expect(traceSampleFraction(id)).toBe(first53Bits(id));
    expect(traceSampleFraction('4bf92f3577b34da6a3ce929d0e0e4736')).toBe(0.22477405853512122);
  });

  it('lies in [0, 1) for every id', () => {
    for (const id of ids) {
      const u = traceSampleFraction(id);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }
  });

  it('is deterministic: the same id gives the same fraction on every call', () => {
    for (const id of ids.slice(0, 100)) expect(traceSampleFraction(id)).toBe(traceSampleFraction(id));
  });

  it('ignores the case of the hex digits', () => {
    const id = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(traceSampleFraction(id.toUpperCase())).toBe(traceSampleFraction(id));
    expect(traceSampleFraction('4BF92f3577B34DA6a3ce929d0E0E4736')).toBe(traceSampleFraction(id));
  });

  it('tells different ids apart', () => {
    expect(new Set(ids.map(traceSampleFraction)).size).toBe(ids.length);
  });

  it('starts with the leading bits of SHA-256 of the lower-cased id, checked with node:crypto', () => {
    for (const id of ['4bf92f3577b34da6a3ce929d0e0e4736', '00000000000000000000000000000001', 'ABCDEF0123456789ABCDEF0123456789', 'not-hex-at-all', '']) {
      expect(Math.floor(traceSampleFraction(id) * 2 ** 21)).toBe(leading21Bits(id));
    }
  });
});

describe('inSample', () => {
  const ids = randomTraceIds(10_000, 2);

  it('never samples at rate 0 and always samples at rate 1', () => {
    for (const id of ids) {
      expect(inSample(id, 0)).toBe(false);
      expect(inSample(id, 1)).toBe(true);
    }
  });

  it('samples a trace exactly when its fraction is below the rate', () => {
    for (const id of ids.slice(0, 20)) {
      const u = traceSampleFraction(id);
      expect(inSample(id, u)).toBe(false); // u < u is false: the bound is strict
      expect(inSample(id, Math.min(1, u + 1e-9))).toBe(true);
    }
  });

  it('nests samples: every trace in the 10% sample is in the 20% sample', () => {
    const at10 = ids.filter((id) => inSample(id, 0.1));
    expect(at10.length).toBeGreaterThan(0);
    for (const id of at10) expect(inSample(id, 0.2)).toBe(true);
  });

  // Each id is in the sample with probability r independently, so the share over n ids has standard
  // error sqrt(r(1 − r)/n); four of them make a false failure about a 1-in-16,000 event (and the
  // seeded ids make the run reproducible).
  const many = randomTraceIds(20_000, 3);
  for (const rate of [0.01, 0.1, 0.5]) {
    it(`samples a share within 4 standard errors of the rate ${rate} over 20,000 random ids`, () => {
      const share = many.filter((id) => inSample(id, rate)).length / many.length;
      const se = Math.sqrt((rate * (1 - rate)) / many.length);
      expect(Math.abs(share - rate)).toBeLessThan(4 * se);
    });
  }
});
