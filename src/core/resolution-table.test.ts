import { describe, expect, it } from 'vitest';
import { buildResolutionTable, resolveSubject, type TableRelease } from './resolution-table.js';
import { subjectBucket } from './subject-bucket.js';

const rel = (id: string, status: TableRelease['status'], canaryPercent: number | null, updatedAt: string, configHash: string | null = null): TableRelease => ({
  id,
  names: [`${id}-name`],
  targetVariant: `${id}-variant`,
  status,
  canaryPercent,
  updatedAt,
  configHash,
});

describe('buildResolutionTable', () => {
  it('gives canaries the first buckets and live the rest, with each release config', () => {
    const configs = new Map([['h1', { data: { v: 1 } }], ['h2', { data: { v: 2 } }]]);
    const table = buildResolutionTable('shop', 'default', [rel('live', 'live', null, '2026-01-01', 'h1'), rel('canary', 'canary', 25, '2026-01-02', 'h2'), rel('cand', 'candidate', null, '2026-01-03')], configs);
    expect(table.releases.map((r) => [r.id, r.status, r.percent, r.from, r.to])).toEqual([
      ['canary', 'canary', 25, 0, 2500],
      ['live', 'live', 75, 2500, 10_000],
    ]);
    expect(table.configs).toEqual({ h1: { data: { v: 1 } }, h2: { data: { v: 2 } } });
    const subject = Array.from({ length: 100 }, (_, i) => `u${i}`).find((s) => subjectBucket('shop', 'default', s) < 2500) as string;
    expect(resolveSubject(table, subject)).toMatchObject({ release: { id: 'canary', name: 'canary-name', configHash: 'h2' }, config: { data: { v: 2 } } });
  });

  it('answers no release for the share no live release serves, and changes its ETag only when an answer changes', () => {
    const only = buildResolutionTable('shop', 'default', [rel('canary', 'canary', 10, '2026-01-02')], new Map());
    const outside = Array.from({ length: 100 }, (_, i) => `u${i}`).find((s) => subjectBucket('shop', 'default', s) >= 1000) as string;
    expect(resolveSubject(only, outside)).toMatchObject({ release: null, config: null });
    const again = buildResolutionTable('shop', 'default', [rel('canary', 'canary', 10, '2026-01-02')], new Map());
    expect(again.etag).toBe(only.etag);
    const wider = buildResolutionTable('shop', 'default', [rel('canary', 'canary', 20, '2026-01-03')], new Map());
    expect(wider.etag).not.toBe(only.etag);
  });
});
