import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Example } from '../../src/core/example.js';
import type { Score } from '../../src/core/score.js';
import type { ResultWrite } from '../../src/store/run-repository.js';
import type { Store } from '../../src/store/store.js';

const scored = (pass: boolean): Score => ({ status: 'scored', value: pass ? 1 : 0, pass, scorerVersion: 'v1' });

/**
 * Filtered result pages of a run (failures, one metric's failures, one slice, one example), counted and paged in
 * the database: the same specification on every dialect. Slice names that are prefixes, other cases,
 * LIKE wildcards or quotes of one another must not match each other.
 */
export function describeResultFilterContract(dialect: string, open: () => Promise<Store>): void {
  describe(`result filters (${dialect})`, () => {
    let store: Store;
    let runId = '';
    const examples: Example[] = [
      { id: 'e1', input: 'a', metadata: {}, slices: ['lang:es', 'intent:refund'], source: 'manual' },
      { id: 'e2', input: 'b', metadata: {}, slices: ['lang:es'], source: 'manual' },
      { id: 'e3', input: 'c', metadata: {}, slices: ['lang:ES', 'lang:esp'], source: 'manual' },
      { id: 'e4', input: 'd', metadata: {}, slices: ['lang:e_', 'q:"x"'], source: 'manual' },
      { id: 'e5', input: 'e', metadata: {}, slices: [], source: 'manual' },
    ];
    beforeAll(async () => {
      store = await open();
      const project = await store.projects.ensure('filters');
      const { version } = await store.datasets.saveVersion(project.id, 'd', 'hash-1', examples);
      const run = await store.runs.create({ projectId: project.id, datasetVersionId: version.id, targetType: 'module', targetVariant: 'x', metrics: [], labels: {}, repeat: 2 });
      runId = run.id;
      const write = (exampleId: string, trial: number, scores: Record<string, Score>, error?: string): ResultWrite => ({ exampleId, trial, output: `${exampleId}#${trial}`, toolCalls: [], latencyMs: 1, cached: false, attempts: 1, scores, ...(error ? { error } : {}) });
      await store.runs.appendResults(runId, [
        write('e1', 0, { m1: scored(false), m2: scored(true) }),
        write('e1', 1, { m1: scored(true), m2: scored(true) }),
        write('e2', 0, { m1: scored(true), m2: { status: 'errored', value: null, pass: null, scorerVersion: 'v1', reason: 'boom' } }),
        write('e2', 1, { m1: scored(true), m2: scored(true) }),
        write('e3', 0, { m1: scored(false), m2: scored(false) }),
        write('e3', 1, {}, 'target failed'),
        write('e4', 0, { m1: scored(true), m2: scored(true) }),
        write('e4', 1, { m1: { status: 'skipped', value: null, pass: null, scorerVersion: 'v1' }, m2: scored(true) }),
        write('e5', 0, { m1: scored(true), m2: scored(true) }),
        write('e5', 1, { m1: scored(true), m2: scored(true) }),
      ]);
    });
    afterAll(async () => store?.close());

    const keys = async (filter: Parameters<Store['runs']['results']>[1]): Promise<string[]> => (await store.runs.results(runId, filter)).map((r) => `${r.exampleId}#${r.trial}`);
    const versionId = async (): Promise<string> => (await store.runs.get(runId)).datasetVersionId;

    it('keeps failures: an error, or any failed or errored score', async () => {
      expect(await keys({ filter: { failures: true } })).toEqual(['e1#0', 'e2#0', 'e3#0', 'e3#1']);
      expect(await store.runs.countResults(runId, { failures: true })).toBe(4);
      expect(await store.runs.countResults(runId)).toBe(10);
    });

    it('keeps one metric’s failed or errored scores (not skipped ones)', async () => {
      expect(await keys({ filter: { failedMetric: 'm1' } })).toEqual(['e1#0', 'e3#0']);
      expect(await keys({ filter: { failedMetric: 'm2' } })).toEqual(['e2#0', 'e3#0']);
      expect(await store.runs.countResults(runId, { failedMetric: 'nope' })).toBe(0);
    });

    it('keeps one slice exactly: not a prefix, another case, a wildcard or a quoted look-alike', async () => {
      const v = await versionId();
      expect(await keys({ filter: { slice: { versionId: v, name: 'lang:es' } } })).toEqual(['e1#0', 'e1#1', 'e2#0', 'e2#1']);
      expect(await keys({ filter: { slice: { versionId: v, name: 'lang:ES' } } })).toEqual(['e3#0', 'e3#1']);
      expect(await keys({ filter: { slice: { versionId: v, name: 'intent:refund' } } })).toEqual(['e1#0', 'e1#1']);
      expect(await keys({ filter: { slice: { versionId: v, name: 'lang:e_' } } })).toEqual(['e4#0', 'e4#1']);
      expect(await keys({ filter: { slice: { versionId: v, name: 'q:"x"' } } })).toEqual(['e4#0', 'e4#1']);
      expect(await keys({ filter: { slice: { versionId: v, name: 'lang:e' } } })).toEqual([]);
      expect(await keys({ filter: { slice: { versionId: 'other', name: 'lang:es' } } })).toEqual([]);
    });

    it('keeps one example’s results, every trial, and combines with the other filters', async () => {
      expect(await keys({ filter: { exampleId: 'e3' } })).toEqual(['e3#0', 'e3#1']);
      expect(await store.runs.countResults(runId, { exampleId: 'e3' })).toBe(2);
      expect(await keys({ filter: { exampleId: 'e1', failures: true } })).toEqual(['e1#0']);
      expect(await keys({ filter: { exampleId: 'e' } })).toEqual([]);
    });

    it('combines filters and pages after filtering', async () => {
      const v = await versionId();
      const filter = { failedMetric: 'm1', slice: { versionId: v, name: 'lang:es' } };
      expect(await keys({ filter })).toEqual(['e1#0']);
      expect(await store.runs.countResults(runId, filter)).toBe(1);
      expect(await keys({ filter: { failures: true }, limit: 2, offset: 1 })).toEqual(['e2#0', 'e3#0']);
    });
  });
}
