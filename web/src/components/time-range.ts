/** The time filters of the trace and session lists: a recent window, turned into `since` once applied. */

export const TIME_RANGES = [
  ['', 'Any time'],
  ['1h', 'Last hour'],
  ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
] as const;

const RANGE_MS: Readonly<Record<string, number>> = { '1h': 3.6e6, '24h': 8.64e7, '7d': 6.048e8, '30d': 2.592e9 };

/** Epoch milliseconds where a window starts, now; undefined for "any time" or an unknown window. */
export function sinceOf(range: string | null, now: number): number | undefined {
  const span = range ? RANGE_MS[range] : undefined;
  return span === undefined ? undefined : now - span;
}
