import { randomBytes } from 'node:crypto';

/** Time-ordered, collision-resistant ids such as `run_lx3k9a2b_4f9c1d2e`. */
export function newId(prefix: string, now: number = Date.now()): string {
  return `${prefix}_${now.toString(36).padStart(9, '0')}${randomBytes(5).toString('hex')}`;
}
