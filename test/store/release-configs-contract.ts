import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseConfigHash, releaseConfigVariant } from '../../src/core/release-config.js';
import type { Store } from '../../src/store/store.js';

/**
 * Release configs, one specification run on every dialect: stored content-addressed, set once per
 * release (the same config again is no change, another one a conflict), a new name makes a
 * candidate release with the config's variant; every change moves the project's resolution version;
 * the resolution snapshot holds the releases with traffic and their configs; nothing crosses projects.
 */
export function describeReleaseConfigsContract(dialect: string, open: () => Promise<Store>): void {
  describe(`release configs (${dialect})`, () => {
    let store: Store;
    let projectId: string;
    let otherId: string;
    beforeAll(async () => {
      store = await open();
      projectId = (await store.projects.ensure('configs-contract')).id;
      otherId = (await store.projects.ensure('configs-contract-other')).id;
    });
    afterAll(async () => {
      await store?.close();
    });

    const v1 = { prompts: { system: { template: 'You help.' }, user: { template: 'Q: {{input.q}}' } }, model: { id: 'openai:gpt-4.1-mini', parameters: { temperature: 0 } } };
    const v2 = { ...v1, model: { id: 'openai:gpt-4.1', parameters: { temperature: 0 } } };

    it('makes a candidate release under a new name, with the config as its variant, audited', async () => {
      const before = await store.releaseConfigs.version(projectId);
      const set = await store.releaseConfigs.set(projectId, '1.0.0', v1, 'ana@example.com');
      expect(set).toMatchObject({ changed: true, releaseCreated: true, configHash: releaseConfigHash(v1), release: { status: 'candidate', names: ['1.0.0'], targetVariant: releaseConfigVariant(releaseConfigHash(v1)) } });
      expect(await store.releaseConfigs.version(projectId)).toBeGreaterThan(before);
      const entries = await store.audit.list(projectId, { after: 0, limit: 1000 });
      expect(entries.filter((e) => e.action === 'release.config').map((e) => e.payload)).toEqual([{ name: '1.0.0', configHash: releaseConfigHash(v1), variant: set.release.targetVariant }]);
      expect(await store.releaseConfigs.get(projectId, '1.0.0')).toMatchObject({ config: v1, configHash: releaseConfigHash(v1) });
    });

    it('changes nothing for the same config in another key order, and refuses another config for the release (409)', async () => {
      const version = await store.releaseConfigs.version(projectId);
      const again = await store.releaseConfigs.set(projectId, '1.0.0', { model: v1.model, prompts: v1.prompts }, 'ana@example.com');
      expect(again).toMatchObject({ changed: false, releaseCreated: false });
      expect(await store.releaseConfigs.version(projectId)).toBe(version);
      await expect(store.releaseConfigs.set(projectId, '1.0.0', v2, 'ana@example.com')).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('give the changed config a new release name') });
    });

    it('sets the config of a release that exists without one (found by name or variant)', async () => {
      const named = await store.releases.bindName(projectId, 'module-variant-1', 'mod-1', 'ana@example.com');
      const set = await store.releaseConfigs.set(projectId, 'module-variant-1', v2, 'ana@example.com');
      expect(set).toMatchObject({ changed: true, releaseCreated: false, release: { id: named.release.id, configHash: releaseConfigHash(v2) } });
    });

    it('refuses a malformed config naming the field, and a bad release name, changing nothing', async () => {
      const version = await store.releaseConfigs.version(projectId);
      await expect(store.releaseConfigs.set(projectId, '2.0.0', { model: { id: 'no-provider' } }, 'a')).rejects.toMatchObject({ code: 'input', message: expect.stringContaining('config.model.id') });
      await expect(store.releaseConfigs.set(projectId, 'rel_x', v2, 'a')).rejects.toMatchObject({ code: 'not_found' });
      await expect(store.releaseConfigs.set(projectId, ' padded', v2, 'a')).rejects.toMatchObject({ code: 'input' });
      await expect(store.releaseConfigs.set(projectId, '2.0.0', { data: { big: 'x'.repeat(300_000) } }, 'a')).rejects.toMatchObject({ code: 'input', message: expect.stringContaining('limit') });
      expect(await store.releaseConfigs.version(projectId)).toBe(version);
      await expect(store.releaseConfigs.get(projectId, '2.0.0')).rejects.toMatchObject({ code: 'not_found' });
    });

    it('snapshots the releases with traffic and their configs, and moves the version on every transition', async () => {
      const r1 = (await store.releaseConfigs.get(projectId, '1.0.0')).release;
      await store.releases.apply(r1.id, { type: 'gate', outcome: 'approve' }, 'ci');
      await store.releases.apply(r1.id, { type: 'promote' }, 'ana@example.com');
      const r2 = (await store.releaseConfigs.set(projectId, '1.1.0', { ...v1, data: { flag: true } }, 'ana@example.com')).release;
      await store.releases.apply(r2.id, { type: 'gate', outcome: 'approve' }, 'ci');
      const before = await store.releaseConfigs.version(projectId);
      await store.releases.apply(r2.id, { type: 'promote', percent: 10 }, 'ana@example.com');
      const snapshot = await store.releaseConfigs.resolutionSnapshot(projectId);
      expect(snapshot.version).toBeGreaterThan(before);
      expect(snapshot.releases.map((r) => [r.names[0], r.status, r.trafficPercent]).sort()).toEqual([
        ['1.0.0', 'live', 90],
        ['1.1.0', 'canary', 10],
      ]);
      expect([...snapshot.configs.keys()].sort()).toEqual([releaseConfigHash(v1), releaseConfigHash({ ...v1, data: { flag: true } })].sort());
    });

    it('keeps projects apart: the same name and config in another project is another release, and a release of one is not found from the other', async () => {
      const here = await store.releaseConfigs.get(projectId, '1.0.0');
      const there = await store.releaseConfigs.set(otherId, '1.0.0', v1, 'bo@example.com');
      expect(there.release.id).not.toBe(here.release.id);
      expect(there.releaseCreated).toBe(true);
      await expect(store.releaseConfigs.get(otherId, here.release.id)).rejects.toMatchObject({ code: 'not_found' });
      expect((await store.releaseConfigs.resolutionSnapshot(otherId)).releases).toEqual([]);
    });
  });
}
