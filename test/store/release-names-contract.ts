import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonitorSpecSchema } from '../../src/core/monitor/monitor-spec.js';
import { OnlineRuleSpecSchema } from '../../src/core/online/online-rule.js';
import type { Span } from '../../src/core/span.js';
import { evaluateOneMonitor } from '../../src/monitor/evaluate-monitors.js';
import { onlineSeries } from '../../src/monitor/online-series.js';
import { EmbeddedJobQueue } from '../../src/online/embedded-job-queue.js';
import { sweepOnlineRules } from '../../src/online/sweep-online-rules.js';
import type { Store } from '../../src/store/store.js';

/**
 * Release names, one specification run on every dialect: a name is unique per project and bound to
 * one variant for good; every reference to a release (id, name, variant) finds it; spans stamped with
 * any of its names or its variant are its traffic; names no release knows are listed, never lost.
 */
export function describeReleaseNamesContract(dialect: string, open: () => Promise<Store>): void {
  describe(`release names (${dialect})`, () => {
    let store: Store;
    let projectId: string;
    let otherProjectId: string;
    beforeAll(async () => {
      store = await open();
      projectId = (await store.projects.ensure('names-contract')).id;
      otherProjectId = (await store.projects.ensure('names-contract-other')).id;
    });
    afterAll(async () => {
      await store?.close();
    });

    const span = (traceId: number, release: string | undefined, spanId = 1, startTimeMs = 1_700_000_000_000 + traceId): Span => ({
      traceId: traceId.toString(16).padStart(32, '0'),
      spanId: spanId.toString(16).padStart(16, '0'),
      name: 'answer',
      kind: 'AGENT',
      otelKind: 'internal',
      startTimeMs,
      endTimeMs: startTimeMs + 5,
      durationMs: 5,
      status: 'ok',
      toolCalls: [],
      usage: {},
      ...(release === undefined ? {} : { release }),
      attributes: {},
      resource: {},
      events: [],
    });

    it('binds a name to the release of a variant, audited, and finds the release by it', async () => {
      const named = await store.releases.bindName(projectId, 'variant-a', '2.1.0', 'ana@example.com');
      expect(named).toMatchObject({ name: '2.1.0', created: true, release: { targetVariant: 'variant-a', names: ['2.1.0'], status: 'candidate' } });
      expect(await store.releases.resolve(projectId, '2.1.0')).toMatchObject({ id: named.release.id, names: ['2.1.0'] });
      expect((await store.releases.resolve(projectId, named.release.id)).names).toEqual(['2.1.0']);
      expect((await store.releases.resolve(projectId, 'variant-a')).id).toBe(named.release.id);
      const audit = (await store.audit.list(projectId, { after: 0, limit: 1000 })).filter((e) => e.action === 'release.name');
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: 'ana@example.com', entityId: named.release.id, payload: { name: '2.1.0', variant: 'variant-a' } });
      expect((await store.audit.verify(projectId)).ok).toBe(true);
    });

    it('naming a release again with its own name changes nothing; a second name is an alias', async () => {
      const again = await store.releases.bindName(projectId, 'variant-a', '2.1.0', 'bo@example.com');
      expect(again.created).toBe(false);
      const sha = await store.releases.bindName(projectId, 'variant-a', '3f9c2e1', 'bo@example.com');
      expect(sha.release.names).toEqual(['2.1.0', '3f9c2e1']);
      expect((await store.releases.resolve(projectId, '3f9c2e1')).id).toBe(sha.release.id);
      expect((await store.audit.list(projectId, { after: 0, limit: 1000 })).filter((e) => e.action === 'release.name')).toHaveLength(2);
    });

    it('refuses a name bound to another variant, naming both, and writes nothing', async () => {
      const before = (await store.audit.list(projectId, { after: 0, limit: 1000 })).length;
      const refused = await store.releases.bindName(projectId, 'variant-b', '2.1.0', 'ana@example.com').catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'conflict' });
      expect((refused as Error).message).toContain('variant-a');
      expect((refused as Error).message).toContain('variant-b');
      expect((refused as Error).message).toContain('"2.1.0"');
      expect(await store.releases.findByVariant(projectId, 'variant-b')).toBeUndefined();
      expect((await store.audit.list(projectId, { after: 0, limit: 1000 })).length).toBe(before);
      await expect(store.releases.assertNameFree(store.db, projectId, 'variant-b', '2.1.0')).rejects.toMatchObject({ code: 'conflict' });
    });

    it("refuses names that are another release's variant, look like an id, or are blank", async () => {
      await store.releases.ensure(projectId, 'variant-c');
      await expect(store.releases.bindName(projectId, 'variant-d', 'variant-c', 'ana@example.com')).rejects.toMatchObject({ code: 'conflict' });
      await expect(store.releases.bindName(projectId, 'variant-d', 'rel_123', 'ana@example.com')).rejects.toMatchObject({ code: 'input' });
      await expect(store.releases.bindName(projectId, 'variant-d', ' 2.2.0', 'ana@example.com')).rejects.toMatchObject({ code: 'input' });
      await expect(store.releases.bindName(projectId, 'variant-d', '', 'ana@example.com')).rejects.toMatchObject({ code: 'input' });
      expect(await store.releases.findByVariant(projectId, 'variant-d')).toBeUndefined();
    });

    it('binds one name once under concurrent callers with different variants', async () => {
      const results = await Promise.allSettled(['variant-x', 'variant-y', 'variant-z'].map((v) => store.releases.bindName(projectId, v, 'race-1', 'ci')));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'conflict' });
    });

    it('keeps names per project: the same name in another project is another release, and not found across', async () => {
      const theirs = await store.releases.bindName(otherProjectId, 'variant-other', '2.1.0', 'ci');
      expect(theirs.created).toBe(true);
      expect((await store.releases.resolve(projectId, '2.1.0')).targetVariant).toBe('variant-a');
      expect((await store.releases.resolve(otherProjectId, '2.1.0')).targetVariant).toBe('variant-other');
      await expect(store.releases.resolve(projectId, theirs.release.id)).rejects.toMatchObject({ code: 'not_found', message: `no release with id, name or variant ${theirs.release.id}` });
      expect(await store.releases.aliases(projectId, theirs.release.id)).toEqual([theirs.release.id]);
    });

    it('gives every string spans may carry for a release, whichever way it is named', async () => {
      const expected = ['2.1.0', '3f9c2e1', 'variant-a'];
      const id = (await store.releases.resolve(projectId, '2.1.0')).id;
      expect((await store.releases.aliases(projectId, '2.1.0')).sort()).toEqual(expected);
      expect((await store.releases.aliases(projectId, 'variant-a')).sort()).toEqual(expected);
      expect((await store.releases.aliases(projectId, id)).sort()).toEqual([...expected, id].sort());
      // An unknown name matches itself only; a prefix of a variant is never taken for it.
      expect(await store.releases.aliases(projectId, '9.9.9')).toEqual(['9.9.9']);
      expect(await store.releases.aliases(projectId, 'variant')).toEqual(['variant']);
    });

    it('counts, for a monitor naming "2.1.0", the traffic stamped with any of its names or its variant', async () => {
      const { rule } = await store.onlineRules.save(projectId, OnlineRuleSpecSchema.parse({ name: 'names-rule', metrics: [{ name: 'ok', scorer: { type: 'contains', value: 'x' } }] }));
      await store.releases.bindName(projectId, 'variant-live', '2.0.0', 'ci');
      let n = 0;
      const record = async (release: string, count: number, passes: number): Promise<void> => {
        for (let i = 0; i < count; i++) {
          n += 1;
          await store.onlineScores.record(
            { ruleId: rule.id, traceId: `c${n.toString(16).padStart(31, '0')}`, projectId, sampled: true, flags: [], release, cohort: {}, traceStartMs: Date.now() - 600_000 + n, latencyMs: 100, costUsd: null, error: false, scoringCostUsd: 0, scoredAt: new Date().toISOString() },
            [{ metric: 'ok', spanId: null, status: 'scored', value: i < passes ? 1 : 0, pass: i < passes, label: null, reason: null, scorerVersion: 'v' }],
          );
        }
      };
      // The canary's traffic under three stamps (name, second name, variant hash); live under its name and its variant.
      await record('2.1.0', 10, 5);
      await record('3f9c2e1', 10, 5);
      await record('variant-a', 10, 5);
      await record('2.0.0', 15, 15);
      await record('variant-live', 15, 15);
      await record('9.9.9', 50, 0); // another release's traffic, not counted
      const { monitor } = await store.monitors.save(projectId, MonitorSpecSchema.parse({ name: 'names-canary', rule: 'names-rule', metric: 'ok', detector: { kind: 'canary', canary: '2.1.0', live: '2.0.0', minSamples: 10, alpha: 0.01, windowMinutes: 60 } }));
      const tick = await evaluateOneMonitor(store, monitor);
      expect(tick.error).toBeNull();
      expect(tick.evaluation?.current).toMatchObject({ total: 30, passed: 15 });
      expect(tick.evaluation?.baselineWindow).toMatchObject({ total: 30, passed: 30 });
      expect(tick.evaluation?.firing).toBe(true);
      // A change monitor on one release, named by its variant, reads the same traffic.
      const { monitor: byVariant } = await store.monitors.save(projectId, MonitorSpecSchema.parse({ name: 'names-threshold', rule: 'names-rule', metric: 'ok', release: 'variant-a', detector: { kind: 'threshold', threshold: 0.9, minSamples: 10, windowMinutes: 60 } }));
      const byVariantTick = await evaluateOneMonitor(store, byVariant);
      expect(byVariantTick.evaluation?.current).toMatchObject({ total: 30, passed: 15 });
      // The series by release: one cohort per release, by its name, however it was stamped.
      const cells = await onlineSeries(store, rule.id, { metric: 'ok', signal: 'pass_rate', by: 'release', fromMs: Date.now() - 3_600_000, toMs: Date.now() + 60_000, bucketMs: 7_200_000 });
      const byCohort = new Map<string, number>();
      for (const c of cells) byCohort.set(c.cohort, (byCohort.get(c.cohort) ?? 0) + c.n);
      expect(Object.fromEntries(byCohort)).toEqual({ '2.1.0': 30, '2.0.0': 30, '9.9.9': 50 });
    });

    it('samples, for a rule filtering on release "2.1.0", the traces stamped with its names or its variant only', async () => {
      const { rule } = await store.onlineRules.save(
        projectId,
        OnlineRuleSpecSchema.parse({ name: 'names-filter', sampleRate: 1, settleSeconds: 1, filter: { releases: ['2.1.0'] }, metrics: [{ name: 'ok', scorer: { type: 'contains', value: 'x' } }] }),
        { backfill: true },
      );
      const stamps = ['2.1.0', '3f9c2e1', 'variant-a', '2.0.0', 'variant-live', undefined];
      const at = Date.now() - 60_000;
      await store.spans.insertBatch(stamps.map((release, i) => ({ projectId, span: span(0xf00 + i, release, 1, at + i) })));
      const queue = new EmbeddedJobQueue(store, `names-filter-${dialect}`);
      const swept = await sweepOnlineRules(store, queue, { now: () => Date.now() + 5_000 });
      expect(swept.sampled).toBeGreaterThanOrEqual(3);
      const jobs = (await queue.claim(100)).filter((j) => j.data['ruleId'] === rule.id);
      expect(jobs.map((j) => j.data['traceId']).sort()).toEqual([0xf00, 0xf01, 0xf02].map((n) => n.toString(16).padStart(32, '0')));
    });

    it('lists release names on spans that no release knows, with their traffic, and only those', async () => {
      await store.spans.insertBatch([
        { projectId, span: span(1, '2.1.0') },
        { projectId, span: span(2, 'variant-a') },
        { projectId, span: span(3, '9.9.9') },
        { projectId, span: span(3, '9.9.9', 2) },
        { projectId, span: span(4, '9.9.9') },
        { projectId, span: span(5, 'typo-2.1') },
        { projectId, span: span(6, undefined) },
        { projectId: otherProjectId, span: span(7, 'theirs-only') },
      ]);
      const unknown = await store.releases.unknown(projectId);
      expect(unknown.map((u) => u.name).sort()).toEqual(['9.9.9', 'typo-2.1']);
      expect(unknown.find((u) => u.name === '9.9.9')).toMatchObject({ spans: 3, traces: 2, firstSeenMs: 1_700_000_000_003, lastSeenMs: 1_700_000_000_004 });
      // Once named, it is known.
      await store.releases.bindName(projectId, 'variant-typo', 'typo-2.1', 'ci');
      expect((await store.releases.unknown(projectId)).map((u) => u.name)).toEqual(['9.9.9']);
    });
  });
}
