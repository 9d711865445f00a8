import { createHash } from 'node:crypto';

/**
 * Deterministic sampling: an item is in a sample of `rate` when the hash of its key and a seed falls
 * below the rate, so the same sample is drawn on every replica and every retry.
 * @example inSample('result:run_1:e1:0', 1, 'q') // true
 */
export function inSample(key: string, rate: number, seed: string): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  const h = createHash('sha256').update(`${seed}\u0000${key}`).digest();
  return h.readUInt32BE(0) / 0x1_0000_0000 < rate;
}
