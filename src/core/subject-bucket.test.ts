import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketRanges, releaseOfBucket, subjectBucket } from './subject-bucket.js';

const SUBJECTS = 100_000;

/** Buckets of 100,000 subjects of one project and track, computed once. */
const buckets = Array.from({ length: SUBJECTS }, (_, i) => subjectBucket('support-bot', 'default', `user-${i}`));

describe('subjectBucket', () => {
  it('matches the documented rule (first 8 bytes of SHA-256 of "project:track:subject", big-endian, mod 10,000), checked against Python hashlib', () => {
    expect(subjectBucket('p', 'default', 'u1')).toBe(7573);
    expect(subjectBucket('support-bot', 'default', 'user-42')).toBe(4202);
  });

  it('equals the 64-bit big-endian integer of the digest modulo 10,000 computed with BigInt', async () => {
    const { createHash } = await import('node:crypto');
    for (let i = 0; i < 20_000; i++) {
      const subject = `s-${i}-${'é'.repeat(i % 3)}`;
      const reference = Number(createHash('sha256').update(`shop:default:${subject}`, 'utf8').digest().readBigUInt64BE(0) % 10_000n);
      expect(subjectBucket('shop', 'default', subject)).toBe(reference);
    }
  });

  it('depends on the project and the track, so two projects do not canary the same subjects', () => {
    const same = buckets.slice(0, 1000).filter((b, i) => b === subjectBucket('other', 'default', `user-${i}`)).length;
    expect(same).toBeLessThan(10);
  });

  it('puts the canary share of 100,000 subjects within ±1 point of the share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), (percent) => {
        const ranges = bucketRanges([{ release: 'canary', percent }, { release: 'live', percent: 100 - percent }]);
        const inCanary = buckets.filter((b) => releaseOfBucket(ranges, b) === 'canary').length;
        expect(Math.abs((inCanary / SUBJECTS) * 100 - percent)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 30 },
    );
  });

  it('is monotone: when the canary widens, nobody leaves it; when it narrows, only subjects leave it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (a, b) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        const narrow = bucketRanges([{ release: 'canary', percent: small }, { release: 'live', percent: 100 - small }]);
        const wide = bucketRanges([{ release: 'canary', percent: large }, { release: 'live', percent: 100 - large }]);
        for (const bucket of buckets.slice(0, 20_000)) {
          if (releaseOfBucket(narrow, bucket) === 'canary') expect(releaseOfBucket(wide, bucket)).toBe('canary');
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('bucketRanges', () => {
  it('gives consecutive ranges in the order given and none to a zero share; what is left belongs to nobody', () => {
    expect(bucketRanges([{ release: 'b', percent: 20 }, { release: 'x', percent: 0 }, { release: 'a', percent: 30 }])).toEqual([
      { release: 'b', from: 0, to: 2000 },
      { release: 'a', from: 2000, to: 5000 },
    ]);
    expect(releaseOfBucket(bucketRanges([{ release: 'b', percent: 20 }]), 2000)).toBeUndefined();
  });
});
