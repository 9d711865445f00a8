import { describe, expect, it } from 'vitest';
import { MonitorSpecSchema } from './monitor-spec.js';
import { monitorCohort, namesRelease, rollbackTargetCheck } from './monitor-cohort.js';

const canarySpec = MonitorSpecSchema.parse({ name: 'canary-q', rule: 'r', metric: 'm', detector: { kind: 'canary', canary: 'v2', live: 'v1' } });
const releaseSpec = MonitorSpecSchema.parse({ name: 'drop', rule: 'r', metric: 'm', release: 'v2' });
const allSpec = MonitorSpecSchema.parse({ name: 'all', rule: 'r', metric: 'm' });
const v1 = { id: 'rel_1', variant: 'v1' };
const v2 = { id: 'rel_2', variant: 'v2' };
const v3 = { id: 'rel_3', variant: 'v3' };

describe('monitorCohort', () => {
  it('is the canary (with live) for a canary monitor, the release filter for others, else all traffic', () => {
    expect(monitorCohort(canarySpec)).toEqual({ kind: 'canary', release: 'v2', live: 'v1' });
    expect(monitorCohort(releaseSpec)).toEqual({ kind: 'release', release: 'v2' });
    expect(monitorCohort(allSpec)).toEqual({ kind: 'all' });
    // A judge-drift monitor reads review labels, not a release's traces, even with a release set.
    expect(monitorCohort(MonitorSpecSchema.parse({ name: 'j', rule: 'r', metric: 'm', release: 'v2', detector: { kind: 'judge-drift' } }))).toEqual({ kind: 'all' });
  });

  it('names a release by id, variant or one of its names', () => {
    expect(namesRelease('rel_2', v2)).toBe(true);
    expect(namesRelease('v2', v2)).toBe(true);
    expect(namesRelease('2.1.0', { ...v2, names: ['2.1.0'] })).toBe(true);
    expect(namesRelease('v1', v2)).toBe(false);
  });
});

describe('rollbackTargetCheck', () => {
  it('lets a canary monitor move its canary only', () => {
    expect(rollbackTargetCheck('canary-q', canarySpec, v2)).toEqual({ ok: true });
    expect(rollbackTargetCheck('canary-q', canarySpec, { id: 'v2', variant: 'abc' })).toEqual({ ok: true });
  });

  it('refuses the live side of a canary monitor, naming the monitor, its cohort and the release', () => {
    const out = rollbackTargetCheck('canary-q', canarySpec, v1);
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.message).toContain('monitor canary-q watches canary v2 (compared with live v1)');
      expect(out.message).toContain('release rel_1 (v1) is its live side');
      expect(out.message).toContain('may only roll back or narrow its canary v2');
    }
  });

  it('refuses a release outside the cohort of a canary or a release monitor', () => {
    expect(rollbackTargetCheck('canary-q', canarySpec, v3)).toMatchObject({ ok: false, message: expect.stringContaining('release rel_3 (v3) is not in its cohort') });
    expect(rollbackTargetCheck('drop', releaseSpec, v2)).toEqual({ ok: true });
    expect(rollbackTargetCheck('drop', releaseSpec, v1)).toMatchObject({ ok: false, message: expect.stringMatching(/monitor drop watches release v2; release rel_1 \(v1\) is not in its cohort/) });
  });

  it('refuses any release for a monitor of all traffic: it cannot tell which release went bad', () => {
    expect(rollbackTargetCheck('all', allSpec, v2)).toMatchObject({ ok: false, message: expect.stringMatching(/monitor all watches all traffic.*may not move release rel_2 \(v2\)/) });
  });
});
