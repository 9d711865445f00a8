import type { ReleaseStatus } from './release.js';

/**
 * How a deployment track's traffic splits between its releases, pure, so the CLI, the API and the
 * web UI show the same figures (they all read them from here, through the API's `trafficPercent`
 * and `traffic`). A project's releases form one track: one live release serves whatever its
 * canaries do not.
 *
 * - canaries get their percent, oldest change first, never more than what is left (two canaries at
 *   60% get 60 and 40);
 * - the live release (the most recently changed one, if several are marked live: promoting a new
 *   release to live supersedes the old one) gets the rest;
 * - every other release gets 0 (candidates, approved, rolled back, superseded live).
 *
 * The shares always sum to 100: with no live release, the rest is `unassignedPercent` (traffic
 * served by something EvalOps has no live release for).
 */

export interface TrackRelease {
  readonly id: string;
  readonly status: ReleaseStatus;
  readonly canaryPercent: number | null;
  readonly updatedAt: string;
}

export interface TrackTraffic {
  /** Share of the track's traffic by release id; releases without traffic are 0. */
  readonly shares: ReadonlyMap<string, number>;
  /** The release serving the rest, or null when no release is live. */
  readonly liveId: string | null;
  readonly livePercent: number;
  /** All canaries together. */
  readonly canaryPercent: number;
  /** What no release of the track accounts for (no live release). */
  readonly unassignedPercent: number;
}

/**
 * @example trackTraffic([{ id: 'a', status: 'live', canaryPercent: null, updatedAt: '…1' }, { id: 'b', status: 'canary', canaryPercent: 20, updatedAt: '…2' }])
 *   // shares a → 80, b → 20; livePercent 80, canaryPercent 20, unassignedPercent 0
 */
export function trackTraffic(releases: readonly TrackRelease[]): TrackTraffic {
  const shares = new Map<string, number>(releases.map((r) => [r.id, 0]));
  const { canaries, live } = servingOrder(releases);
  let left = 100;
  for (const c of canaries) {
    const share = Math.max(0, Math.min(left, Math.round(c.canaryPercent ?? 0)));
    shares.set(c.id, share);
    left -= share;
  }
  if (live) shares.set(live.id, left);
  return { shares, liveId: live?.id ?? null, livePercent: live ? left : 0, canaryPercent: 100 - left, unassignedPercent: live ? 0 : left };
}

/**
 * The order shares are handed out in: the canaries, oldest change first, then the live release (the
 * most recently changed of those marked live). Sticky assignment (src/core/subject-bucket.ts) gives
 * bucket ranges in this order.
 */
export function servingOrder<R extends TrackRelease>(releases: readonly R[]): { readonly canaries: R[]; readonly live: R | undefined } {
  const byChange = (a: R, b: R) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { canaries: releases.filter((r) => r.status === 'canary').sort(byChange), live: releases.filter((r) => r.status === 'live').sort(byChange).at(-1) };
}

/** A release with its share, as people read the split. */
export interface TrafficShare {
  readonly variant: string;
  readonly status: ReleaseStatus;
  readonly percent: number;
}

/**
 * The split in words, as the CLI, the API (`traffic.summary`) and the web UI show it.
 * @example trafficInWords([{ variant: '2.0.0', status: 'live', percent: 80 }, { variant: '2.1.0', status: 'canary', percent: 20 }], 0)
 *   // 'live 2.0.0 80% + canary 2.1.0 20% = 100%'
 */
export function trafficInWords(shares: readonly TrafficShare[], unassignedPercent: number): string {
  const parts = shares.filter((r) => r.percent > 0).map((r) => `${r.status === 'live' ? 'live' : 'canary'} ${r.variant} ${r.percent}%`);
  if (unassignedPercent > 0) parts.push(`no live release ${unassignedPercent}%`);
  return `${parts.join(' + ')} = 100%`;
}
