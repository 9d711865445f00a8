import { describe, expect, it } from 'vitest';
import { trackTraffic, trafficInWords, type TrackRelease } from './release-traffic.js';

const r = (id: string, status: TrackRelease['status'], canaryPercent: number | null, updatedAt: string): TrackRelease => ({ id, status, canaryPercent, updatedAt });
const sum = (m: ReadonlyMap<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

describe('trackTraffic', () => {
  it('gives live what its canary does not take: live 80 + canary 20 = 100, not 100 + 20', () => {
    const t = trackTraffic([r('live', 'live', null, '2026-01-01'), r('can', 'canary', 20, '2026-01-02')]);
    expect(Object.fromEntries(t.shares)).toEqual({ live: 80, can: 20 });
    expect(t).toMatchObject({ liveId: 'live', livePercent: 80, canaryPercent: 20, unassignedPercent: 0 });
  });

  it('gives live everything again once its canary is rolled back', () => {
    const t = trackTraffic([r('live', 'live', null, '2026-01-01'), r('can', 'rolled_back', null, '2026-01-03')]);
    expect(Object.fromEntries(t.shares)).toEqual({ live: 100, can: 0 });
  });

  it('serves from the most recently changed live release; an older live one is superseded (0)', () => {
    const t = trackTraffic([r('old', 'live', null, '2026-01-01'), r('new', 'live', null, '2026-01-05'), r('cand', 'candidate', null, '2026-01-06'), r('ok', 'approved', null, '2026-01-07')]);
    expect(Object.fromEntries(t.shares)).toEqual({ old: 0, new: 100, cand: 0, ok: 0 });
  });

  it('never hands out more than 100: canaries are served oldest first, the last gets what is left', () => {
    const t = trackTraffic([r('a', 'canary', 60, '2026-01-01'), r('b', 'canary', 60, '2026-01-02'), r('live', 'live', null, '2026-01-01')]);
    expect(Object.fromEntries(t.shares)).toEqual({ a: 60, b: 40, live: 0 });
    expect(t.canaryPercent).toBe(100);
  });

  it('names what no release accounts for when none is live, so the figures still sum to 100', () => {
    const t = trackTraffic([r('can', 'canary', 10, '2026-01-01')]);
    expect(t).toMatchObject({ liveId: null, livePercent: 0, canaryPercent: 10, unassignedPercent: 90 });
    expect(trackTraffic([])).toMatchObject({ livePercent: 0, canaryPercent: 0, unassignedPercent: 100 });
  });

  it('sums to 100 for every mix of statuses and percents (exhaustive over small tracks)', () => {
    const statuses: TrackRelease['status'][] = ['candidate', 'approved', 'canary', 'live', 'rolled_back'];
    for (const s1 of statuses) for (const s2 of statuses) for (const s3 of statuses) for (const p of [1, 20, 50, 99]) {
      const rs = [r('a', s1, s1 === 'canary' ? p : null, '1'), r('b', s2, s2 === 'canary' ? 100 - p : null, '2'), r('c', s3, s3 === 'canary' ? p : null, '3')];
      const t = trackTraffic(rs);
      expect(sum(t.shares) + t.unassignedPercent).toBe(100);
      expect(t.livePercent + t.canaryPercent + t.unassignedPercent).toBe(100);
      for (const x of rs) if (x.status !== 'canary' && x.status !== 'live') expect(t.shares.get(x.id)).toBe(0);
    }
  });
});

describe('trafficInWords', () => {
  it('lists the releases with traffic and what is unassigned, adding up to 100%', () => {
    expect(trafficInWords([{ variant: '2.0.0', status: 'live', percent: 80 }, { variant: '2.1.0', status: 'canary', percent: 20 }, { variant: '1.9.0', status: 'live', percent: 0 }], 0)).toBe('live 2.0.0 80% + canary 2.1.0 20% = 100%');
    expect(trafficInWords([{ variant: 'v2', status: 'canary', percent: 10 }], 90)).toBe('canary v2 10% + no live release 90% = 100%');
  });
});
