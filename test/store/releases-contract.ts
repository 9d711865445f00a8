import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Example } from '../../src/core/example.js';
import type { Store } from '../../src/store/store.js';

/**
 * The release repository contract: one specification, run on every dialect. Every move must change
 * the row and append its audit entry together, or do neither.
 */
export function describeReleasesContract(dialect: string, open: () => Promise<Store>): void {
  describe(`ReleaseRepository contract (${dialect})`, () => {
    let store: Store;
    let projectId: string;
    let runId: string;
    beforeAll(async () => {
      store = await open();
      projectId = (await store.projects.ensure('releases-contract')).id;
      const examples: Example[] = [{ id: 'a', input: 'hi', metadata: {}, slices: [], source: 'manual' }];
      const { version } = await store.datasets.saveVersion(projectId, 'cases', 'relhash1', examples);
      runId = (await store.runs.create({ projectId, datasetVersionId: version.id, targetType: 'module', targetVariant: 'v-run', metrics: [], labels: {}, repeat: 1 })).id;
    });
    afterAll(async () => {
      await store?.close();
    });

    /** A stored gate decision (and optionally an override of it), written as the gate records them. */
    async function decision(outcome: string, overrideOutcome?: string): Promise<string> {
      const id = `gd_${outcome}_${Math.random().toString(36).slice(2)}`;
      const at = new Date().toISOString();
      await store.db
        .insertInto('gate_decisions')
        .values({ id, project_id: projectId, candidate_run_id: runId, baseline_run_id: null, outcome, rollout_percent: null, document: '{}', created_at: at })
        .execute();
      if (overrideOutcome) {
        await store.db
          .insertInto('overrides')
          .values({ id: `ovr_${id}`, decision_id: id, actor: 'owner@example.com', role: 'owner', reason: 'known flake', evidence_url: 'https://ci/1', outcome: overrideOutcome, created_at: at })
          .execute();
      }
      return id;
    }

    const auditCount = async (): Promise<number> => (await store.audit.list(projectId, { after: 0, limit: 100_000 })).length;

    it('creates one candidate per variant, however often and concurrently it is ensured', async () => {
      const all = await Promise.all([1, 2, 3, 4].map(() => store.releases.ensure(projectId, 'v-ensure', runId)));
      expect(new Set(all.map((r) => r.id)).size).toBe(1);
      expect(all[0]).toMatchObject({ projectId, targetVariant: 'v-ensure', status: 'candidate', canaryPercent: null, trafficPercent: 0, hold: null, candidateRunId: runId, decisionId: null });
      expect(all[0]?.id).toMatch(/^rel_/);
      const other = await store.projects.ensure('releases-contract-other');
      expect((await store.releases.ensure(other.id, 'v-ensure')).id).not.toBe(all[0]?.id);
      await expect(store.releases.ensure(projectId, '  ')).rejects.toMatchObject({ code: 'input' });
    });

    it('moves a release through its life, auditing every move with who did it', async () => {
      const r = await store.releases.ensure(projectId, 'v-life');
      const before = await auditCount();
      const gd = await decision('approve');
      const approved = await store.releases.apply(r.id, { type: 'gate', outcome: 'approve', decisionId: gd, runId }, 'gate@ci');
      expect(approved.release).toMatchObject({ status: 'approved', trafficPercent: 0, decisionId: gd, candidateRunId: runId });
      expect(approved.previous).toEqual({ status: 'candidate', canaryPercent: null });
      expect(approved.audit).toMatchObject({ action: 'release.transition', entityType: 'release', entityId: r.id, actor: 'gate@ci' });
      expect(approved.audit.payload).toEqual({
        variant: 'v-life',
        from: { status: 'candidate', canaryPercent: null },
        to: { status: 'approved', canaryPercent: null },
        event: { type: 'gate', outcome: 'approve', decisionId: gd, runId },
      });
      expect((await store.releases.apply(r.id, { type: 'promote', percent: 10 }, 'ana')).release).toMatchObject({ status: 'canary', canaryPercent: 10, trafficPercent: 10 });
      expect((await store.releases.apply(r.id, { type: 'promote', percent: 50 }, 'ana')).release).toMatchObject({ status: 'canary', canaryPercent: 50 });
      expect((await store.releases.apply(r.id, { type: 'promote' }, 'ana')).release).toMatchObject({ status: 'live', canaryPercent: null, trafficPercent: 100 });
      const rolled = await store.releases.apply(r.id, { type: 'rollback', reason: 'refund errors up 3x' }, 'oncall@example.com');
      expect(rolled.release).toMatchObject({ status: 'rolled_back', trafficPercent: 0 });
      expect(await auditCount()).toBe(before + 5);
      const history = await store.releases.history(r.id);
      expect(history.map((h) => [h.actor, h.from.status, h.to.status, h.to.canaryPercent])).toEqual([
        ['gate@ci', 'candidate', 'approved', null],
        ['ana', 'approved', 'canary', 10],
        ['ana', 'canary', 'canary', 50],
        ['ana', 'canary', 'live', null],
        ['oncall@example.com', 'live', 'rolled_back', null],
      ]);
      expect(history[4]?.event).toEqual({ type: 'rollback', reason: 'refund errors up 3x' });
      expect((await store.audit.verify(projectId)).ok).toBe(true);
    });

    it('narrows a candidate to a canary at the decision percentage', async () => {
      const r = await store.releases.ensure(projectId, 'v-narrow');
      const { release } = await store.releases.apply(r.id, { type: 'gate', outcome: 'narrow', rolloutPercent: 20 }, 'gate@ci');
      expect(release).toMatchObject({ status: 'canary', canaryPercent: 20, trafficPercent: 20 });
      expect((await store.releases.get(r.id)).state).toEqual({ status: 'canary', canaryPercent: 20 });
    });

    it('refuses to promote a blocked candidate, and changes and audits nothing', async () => {
      const r = await store.releases.ensure(projectId, 'v-blocked');
      const gd = await decision('block');
      const held = await store.releases.apply(r.id, { type: 'gate', outcome: 'block', decisionId: gd }, 'gate@ci');
      expect(held.release).toMatchObject({ status: 'candidate', hold: 'block', decisionId: gd });
      const before = await auditCount();
      const refused = store.releases.apply(r.id, { type: 'promote' }, 'ana');
      await expect(refused).rejects.toMatchObject({ code: 'conflict' });
      await expect(refused).rejects.toThrow(/cannot promote a blocked candidate/);
      expect((await store.releases.get(r.id)).updatedAt).toBe(held.release.updatedAt);
      expect(await auditCount()).toBe(before);
    });

    it('reads why a candidate is held from its decision, or the latest override of it', async () => {
      const awaiting = await store.releases.ensure(projectId, 'v-awaiting');
      await store.releases.apply(awaiting.id, { type: 'gate', outcome: 'require_approval', decisionId: await decision('require_approval') }, 'gate@ci');
      await expect(store.releases.apply(awaiting.id, { type: 'promote' }, 'ana')).rejects.toThrow(/awaiting approval/);
      const overridden = await store.releases.ensure(projectId, 'v-overridden');
      await store.releases.apply(overridden.id, { type: 'gate', outcome: 'block', decisionId: await decision('block', 'approve') }, 'gate@ci');
      expect((await store.releases.get(overridden.id)).hold).toBeNull();
    });

    it('refuses a rollback of a candidate and a gate decision on a live release', async () => {
      const r = await store.releases.ensure(projectId, 'v-refusals');
      await expect(store.releases.apply(r.id, { type: 'rollback', reason: 'x' }, 'ana')).rejects.toThrow(/cannot roll back a candidate/);
      await store.releases.apply(r.id, { type: 'gate', outcome: 'approve' }, 'gate@ci');
      await store.releases.apply(r.id, { type: 'promote' }, 'ana');
      await expect(store.releases.apply(r.id, { type: 'gate', outcome: 'block' }, 'gate@ci')).rejects.toThrow(/cannot move a release that is live/);
      expect((await store.releases.get(r.id)).status).toBe('live');
    });

    it('changes nothing when the audit entry cannot be written', async () => {
      const r = await store.releases.ensure(projectId, 'v-atomic');
      const before = await auditCount();
      await expect(store.releases.apply(r.id, { type: 'gate', outcome: 'approve' }, '   ')).rejects.toMatchObject({ code: 'input' });
      expect((await store.releases.get(r.id)).status).toBe('candidate');
      expect(await auditCount()).toBe(before);
    });

    it("moves within the caller's transaction, and rolls back with it", async () => {
      const r = await store.releases.ensure(projectId, 'v-trx');
      const before = await auditCount();
      await expect(
        store.db.transaction().execute(async (trx) => {
          await store.releases.apply(r.id, { type: 'gate', outcome: 'approve' }, 'gate@ci', trx);
          throw new Error('recording the decision failed');
        }),
      ).rejects.toThrow('recording the decision failed');
      expect((await store.releases.get(r.id)).status).toBe('candidate');
      expect(await auditCount()).toBe(before);
      await store.db.transaction().execute((trx) => store.releases.apply(r.id, { type: 'gate', outcome: 'approve' }, 'gate@ci', trx));
      expect((await store.releases.get(r.id)).status).toBe('approved');
      expect(await auditCount()).toBe(before + 1);
    });

    it('lets exactly one of two racing promotions to the same percentage win', async () => {
      const r = await store.releases.ensure(projectId, 'v-race');
      await store.releases.apply(r.id, { type: 'gate', outcome: 'narrow', rolloutPercent: 10 }, 'gate@ci');
      const before = await auditCount();
      const results = await Promise.allSettled([1, 2, 3].map((i) => store.releases.apply(r.id, { type: 'promote', percent: 50 }, `racer-${i}`)));
      expect(results.filter((x) => x.status === 'fulfilled').length).toBe(1);
      for (const x of results.filter((y) => y.status === 'rejected')) expect((x as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
      expect(await auditCount()).toBe(before + 1);
      expect((await store.audit.verify(projectId)).ok).toBe(true);
    });

    it('refuses unknown releases and malformed events', async () => {
      await expect(store.releases.apply('rel_missing', { type: 'promote' }, 'ana')).rejects.toMatchObject({ code: 'not_found' });
      await expect(store.releases.get('rel_missing')).rejects.toMatchObject({ code: 'not_found' });
      const r = await store.releases.ensure(projectId, 'v-malformed');
      await expect(store.releases.apply(r.id, { type: 'launch' } as never, 'ana')).rejects.toMatchObject({ code: 'input' });
      await expect(store.releases.apply(r.id, { type: 'gate', outcome: 'ship' } as never, 'ana')).rejects.toMatchObject({ code: 'input' });
    });

    it('finds a release by id, variant or unique variant prefix', async () => {
      const a = await store.releases.ensure(projectId, 'abcd1111');
      await store.releases.ensure(projectId, 'abcd2222');
      expect((await store.releases.resolve(null, a.id)).id).toBe(a.id);
      expect((await store.releases.resolve(projectId, 'abcd1111')).id).toBe(a.id);
      expect((await store.releases.resolve(projectId, 'abcd1')).id).toBe(a.id);
      await expect(store.releases.resolve(projectId, 'abcd')).rejects.toMatchObject({ code: 'usage' });
      await expect(store.releases.resolve(projectId, 'abc')).rejects.toMatchObject({ code: 'not_found' });
      await expect(store.releases.resolve(projectId, 'a_cd%')).rejects.toMatchObject({ code: 'not_found' });
      await expect(store.releases.resolve(null, 'abcd1111')).rejects.toMatchObject({ code: 'not_found' });
      expect((await store.releases.findByVariant(projectId, 'abcd1111'))?.id).toBe(a.id);
      expect(await store.releases.findByVariant(projectId, 'nope')).toBeUndefined();
    });

    it('finds a release by id only in the project asked for: one of another project answers as an unknown id', async () => {
      const other = (await store.projects.ensure('releases-other')).id;
      const theirs = await store.releases.ensure(other, 'theirs-1');
      const unknown = await store.releases.resolve(projectId, 'rel_unknown').catch((e: Error & { code: string }) => ({ code: e.code, message: e.message }));
      const foreign = await store.releases.resolve(projectId, theirs.id).catch((e: Error & { code: string }) => ({ code: e.code, message: e.message }));
      expect(unknown).toEqual({ code: 'not_found', message: 'no release with id, name or variant rel_unknown' });
      expect(foreign).toEqual({ code: 'not_found', message: `no release with id, name or variant ${theirs.id}` });
      expect((await store.releases.resolve(other, theirs.id)).id).toBe(theirs.id);
    });

    it('lists releases most recently changed first, optionally by status', async () => {
      const p = (await store.projects.ensure('releases-list')).id;
      const first = await store.releases.ensure(p, 'v1');
      const second = await store.releases.ensure(p, 'v2');
      await new Promise((r) => setTimeout(r, 5));
      await store.releases.apply(first.id, { type: 'gate', outcome: 'approve' }, 'gate@ci');
      expect((await store.releases.list(p)).map((r) => r.targetVariant)).toEqual(['v1', 'v2']);
      expect((await store.releases.list(p, { status: 'candidate' })).map((r) => r.id)).toEqual([second.id]);
      expect(await store.releases.list((await store.projects.ensure('releases-none')).id)).toEqual([]);
    });
  });
}
