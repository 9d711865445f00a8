import * as crypto from 'node:crypto';

/**
 * Sticky assignment of subjects (a user, a session) to the releases of a track. Reproducible by any
 * implementation:
 *
 *   bucket = uint64_be(SHA-256(utf8(`${project}:${track}:${subject}`))[0..8]) mod 10000
 *
 * i.e. the first 8 bytes of the SHA-256 digest of the UTF-8 string project name, `:`, track, `:`,
 * subject id, read as a big-endian unsigned 64-bit integer, modulo 10,000. A subject is in a canary
 * of share `p` percent when its bucket falls in the canary's range of `p × 100` buckets; canaries
 * take consecutive ranges from bucket 0 (the order of src/core/release-traffic.ts: oldest change
 * first), the live release the rest. With one canary the range is `[0, p × 100)`: widening the share
 * never moves a subject out of the canary, narrowing it only moves subjects back to live.
 */
export const BUCKETS = 10_000;

/**
 * The subject's bucket in 0..9999.
 * @example subjectBucket('support-bot', 'default', 'user-42') // a number in 0..9999, always the same for these three strings
 */
export function subjectBucket(project: string, track: string, subject: string): number {
  const text = `${project}:${track}:${subject}`;
  const digest = oneShotHash ? oneShotHash('sha256', text, 'buffer') : crypto.createHash('sha256').update(text, 'utf8').digest();
  // (hi × 2³² + lo) mod 10,000 without a BigInt: 2³² mod 10,000 = 7,296, and every term stays below 2⁵³.
  return ((digest.readUInt32BE(0) % BUCKETS) * 7296 + digest.readUInt32BE(4)) % BUCKETS;
}

/** Node's one-shot `crypto.hash` (20.12+), cheaper than a Hash object per call; absent on older runtimes. */
const oneShotHash = typeof (crypto as { hash?: unknown }).hash === 'function' ? crypto.hash : undefined;

/** A release's slice of the buckets: `from` inclusive, `to` exclusive. */
export interface BucketRange {
  readonly release: string;
  readonly from: number;
  readonly to: number;
}

/**
 * The bucket ranges of a track's shares, in the order given (canaries first, oldest change first,
 * then live): consecutive from 0, each `percent × 100` buckets; releases without a share get none.
 * @example bucketRanges([{ release: 'b', percent: 20 }, { release: 'a', percent: 80 }]) // [{ release: 'b', from: 0, to: 2000 }, { release: 'a', from: 2000, to: 10000 }]
 */
export function bucketRanges(shares: readonly { readonly release: string; readonly percent: number }[]): BucketRange[] {
  const ranges: BucketRange[] = [];
  let from = 0;
  for (const s of shares) {
    const width = Math.max(0, Math.min(BUCKETS - from, Math.round(s.percent * 100)));
    if (width === 0) continue;
    ranges.push({ release: s.release, from, to: from + width });
    from += width;
  }
  return ranges;
}

/** The release whose range holds the bucket, or undefined when no range does (no live release). */
export function releaseOfBucket(ranges: readonly BucketRange[], bucket: number): string | undefined {
  for (const r of ranges) if (bucket >= r.from && bucket < r.to) return r.release;
  return undefined;
}
