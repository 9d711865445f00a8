import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Span } from '../../src/core/span.js';
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
