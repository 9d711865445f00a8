import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Example } from '../../src/core/example.js';
import type { Store } from '../../src/store/store.js';

/** Waits until the clock has moved on, so that runs created one after the other start at distinct times. */
async function nextMillisecond(): Promise<void> {
  const t = Date.now();
  while (Date.now() === t) await new Promise((r) => setImmediate(r));
}

/**
 * The latest runs that answered one example (the example page), on every dialect: runs over any of
 * the given versions of its dataset that hold a result of that example, newest first, limited; runs
 * without it, of another dataset or of another project are left out.
 */
export function describeRunsWithExampleContract(dialect: string, open: () => Promise<Store>): void {
  describe(`runs with an example (${dialect})`, () => {
    let store: Store;
    let projectId = '';
    let versionIds: string[] = [];
    const made: Record<string, string> = {};
    const example = (id: string): Example => ({ id, input: id, metadata: {}, slices: [], source: 'manual' });

    beforeAll(async () => {
      store = await open();
      const project = await store.projects.ensure('with-example');
      const other = await store.projects.ensure('with-example-other');
      projectId = project.id;
      const v1 = (await store.datasets.saveVersion(project.id, 'd', 'h1', [example('e1'), example('e2')])).version;
      const v2 = (await store.datasets.saveVersion(project.id, 'd', 'h2', [example('e1'), example('e3')])).version;
      const elsewhere = (await store.datasets.saveVersion(project.id, 'other', 'h3', [example('e1')])).version;
      const foreign = (await store.datasets.saveVersion(other.id, 'd', 'h1', [example('e1')])).version;
      versionIds = [v1.id, v2.id];
      const run = async (name: string, projectOf: string, versionId: string, answered: readonly string[]): Promise<void> => {
        await nextMillisecond();
        const r = await store.runs.create({ projectId: projectOf, datasetVersionId: versionId, targetType: 'module', targetVariant: name, metrics: [], labels: {}, repeat: 1 });
        await store.runs.appendResults(r.id, answered.map((exampleId) => ({ exampleId, trial: 0, output: `${name}:${exampleId}`, toolCalls: [], latencyMs: 1, cached: false, attempts: 1, scores: {} })));
        made[name] = r.id;
      };
      await run('old-v1', project.id, v1.id, ['e1', 'e2']);
      await run('v1-without-e1', project.id, v1.id, ['e2']);
      await run('new-v2', project.id, v2.id, ['e1', 'e3']);
      await run('other-dataset', project.id, elsewhere.id, ['e1']);
      await run('other-project', other.id, foreign.id, ['e1']);
      await run('newest-v2', project.id, v2.id, ['e1']);
    });
    afterAll(async () => store?.close());

    it('lists the runs over the versions that answered the example, newest first', async () => {
      const runs = await store.runs.listWithExample(projectId, versionIds, 'e1');
      expect(runs.map((r) => r.targetVariant)).toEqual(['newest-v2', 'new-v2', 'old-v1']);
      expect(runs.map((r) => r.id)).toEqual([made['newest-v2'], made['new-v2'], made['old-v1']]);
      expect((await store.runs.listWithExample(projectId, versionIds, 'e2')).map((r) => r.targetVariant)).toEqual(['v1-without-e1', 'old-v1']);
    });

    it('keeps to the limit, the versions given and the project', async () => {
      expect((await store.runs.listWithExample(projectId, versionIds, 'e1', 2)).map((r) => r.targetVariant)).toEqual(['newest-v2', 'new-v2']);
      expect((await store.runs.listWithExample(projectId, versionIds.slice(0, 1), 'e1')).map((r) => r.targetVariant)).toEqual(['old-v1']);
      expect(await store.runs.listWithExample(projectId, versionIds, 'nope')).toEqual([]);
      expect(await store.runs.listWithExample(projectId, [], 'e1')).toEqual([]);
    });
  });
}
