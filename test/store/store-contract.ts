import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Example } from '../../src/core/example.js';
import { scoreCellAt } from '../../src/core/score-columns.js';
import { scored, errored, skipped } from '../../src/core/score.js';
import type { Store } from '../../src/store/store.js';
import { HEARTBEAT_STALE_MS, RunRepository } from '../../src/store/run-repository.js';

/**
 * The repository contract: one specification, run on every dialect (SQLite and PostgreSQL).
 */
export function describeStoreContract(dialect: string, open: () => Promise<Store>): void {
  describe(`Store contract (${dialect})`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });

    const examples: Example[] = [
      { id: 'a', input: { q: 'refund?' }, expected: { keyword: 'policy' }, metadata: { tier: 'gold' }, slices: ['intent:refund', 'lang:en'], source: 'manual' },
      { id: 'b', input: 'plain text', metadata: {}, slices: [], source: 'adversarial' },
    ];

    it('creates a project once and finds it again', async () => {
      const p1 = await store.projects.ensure('alpha');
      const p2 = await store.projects.ensure('alpha');
      expect(p2.id).toBe(p1.id);
      expect((await store.projects.list()).map((p) => p.name)).toContain('alpha');
    });

    it('stores a dataset version with its examples and reads them back unchanged', async () => {
      const p = await store.projects.ensure('alpha');
      const { version, created } = await store.datasets.saveVersion(p.id, 'cases', 'hash0001', examples, 'data/cases.jsonl');
      expect(created).toBe(true);
      expect(version.exampleCount).toBe(2);
      const back = await store.datasets.examples(version.id);
      expect(back).toEqual(examples);
    });

    it('returns the existing version when the same content is saved again', async () => {
      const p = await store.projects.ensure('alpha');
      const again = await store.datasets.saveVersion(p.id, 'cases', 'hash0001', examples);
      expect(again.created).toBe(false);
      expect((await store.datasets.listVersions(p.id, 'cases')).length).toBe(1);
    });

    it('lists versions newest first and resolves hash prefixes', async () => {
      const p = await store.projects.ensure('alpha');
      await new Promise((r) => setTimeout(r, 5));
      const v2 = await store.datasets.saveVersion(p.id, 'cases', 'hash0002', examples.slice(0, 1));
      const versions = await store.datasets.listVersions(p.id, 'cases');
      expect(versions.map((v) => v.hash)).toEqual(['hash0002', 'hash0001']);
      expect((await store.datasets.getVersion(p.id, 'cases')).id).toBe(v2.version.id);
      expect((await store.datasets.getVersion(p.id, 'cases', 'hash0001')).hash).toBe('hash0001');
      await expect(store.datasets.getVersion(p.id, 'cases', 'hash')).rejects.toMatchObject({ code: 'usage' });
      await expect(store.datasets.getVersion(p.id, 'cases', 'zzzz')).rejects.toMatchObject({ code: 'not_found' });
      await expect(store.datasets.getVersion(p.id, 'nope')).rejects.toMatchObject({ code: 'not_found' });
      const list = await store.datasets.list(p.id);
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ name: 'cases', versions: 2 });
    });

    it('keeps projects apart', async () => {
      const other = await store.projects.ensure('beta');
      expect(await store.datasets.list(other.id)).toEqual([]);
      await expect(store.datasets.getVersion(other.id, 'cases')).rejects.toMatchObject({ code: 'not_found' });
    });

    it('stores nothing of a version whose examples fail to insert', async () => {
      const p = await store.projects.ensure('alpha');
      const dup: Example[] = [examples[0]!, examples[0]!];
      await expect(store.datasets.saveVersion(p.id, 'broken', 'hash0003', dup)).rejects.toThrow();
      await expect(store.datasets.getVersion(p.id, 'broken')).rejects.toMatchObject({ code: 'not_found' });
    });

    it('records a run, appends results with scores and aggregates them', async () => {
      const p = await store.projects.ensure('alpha');
      const version = await store.datasets.getVersion(p.id, 'cases', 'hash0001');
      const run = await store.runs.create({
        projectId: p.id,
        datasetVersionId: version.id,
        targetType: 'module',
        targetVariant: 'var1',
        metrics: [{ name: 'm1', scorerType: 'contains', scorerVersion: 'v1', owner: 'o@x' }],
        labels: { branch: 'main' },
        repeat: 1,
      });
      expect(run.status).toBe('running');
      await store.runs.appendResults(run.id, [
        { exampleId: 'a', trial: 0, output: { text: 'ok' }, toolCalls: [{ name: 't', arguments: { x: 1 } }], latencyMs: 10, inputTokens: 5, outputTokens: 7, costUsd: 0.01, cached: false, attempts: 1, scores: { m1: scored('v1', true), m2: skipped('v2', 'no model') } },
        { exampleId: 'b', trial: 0, output: 'nope', toolCalls: [], latencyMs: 30, costUsd: 0.02, cached: true, attempts: 2, scores: { m1: scored('v1', false, { reason: 'missing' }), m2: errored('v2', 'down') } },
      ]);
      await store.runs.appendResults(run.id, [{ exampleId: 'c', trial: 0, output: undefined, toolCalls: [], latencyMs: 0, error: 'boom', cached: false, attempts: 3, scores: {} }]);

      const aggregates = await store.runs.metricAggregates(run.id);
      const m1 = aggregates.find((a) => a.metric === 'm1')!;
      const m2 = aggregates.find((a) => a.metric === 'm2')!;
      expect(m1).toMatchObject({ passed: 1, failed: 1, errored: 0, skipped: 0, valueCount: 2, valueSum: 1 });
      expect(m2).toMatchObject({ passed: 0, failed: 0, errored: 1, skipped: 1, valueCount: 0 });

      const totals = await store.runs.resultAggregate(run.id);
      expect(totals).toMatchObject({ total: 3, errors: 1, cached: 1, inputTokens: 5, outputTokens: 7, successes: 1 });
      expect(totals.costUsd).toBeCloseTo(0.03, 10);
      expect(Array.from(await store.runs.latencies(run.id))).toEqual([10, 30]);

      const results = await store.runs.results(run.id);
      expect(results.map((r) => r.exampleId)).toEqual(['a', 'b', 'c']);
      expect(results[0]).toMatchObject({ output: { text: 'ok' }, toolCalls: [{ name: 't', arguments: { x: 1 } }], costUsd: 0.01, cached: false });
      expect(results[0]!.scores['m1']).toEqual(scored('v1', true));
      expect(results[1]!.scores['m1']).toMatchObject({ pass: false, reason: 'missing' });
      expect(results[2]).toMatchObject({ error: 'boom', attempts: 3 });
      // The errored results, for imputation and the error-rate rule: only c, with its message.
      expect(await store.runs.errorRows(run.id)).toEqual([{ exampleId: 'c', trial: 0, error: 'boom' }]);
    });

    it('reads a run\'s scores as columns: the same cells as the score rows, ordered by example, trial and metric, through either reader', async () => {
      // A project of its own: the tests below take the newest run of alpha.
      const p = await store.projects.ensure('columns');
      const { version } = await store.datasets.saveVersion(p.id, 'cases', 'hashcols', examples);
      // The slices the comparison groups by, read back in one schema check.
      expect(await store.datasets.exampleSlices(version.id)).toEqual(new Map([['a', ['intent:refund', 'lang:en']], ['b', []]]));
      // A stored list that is not strings is refused by name, not handed to the comparison (another version, so the runs below keep theirs).
      const { version: bad } = await store.datasets.saveVersion(p.id, 'cases', 'hashbad', examples);
      for (const [slices, problem] of [['["lang:en", 3]', /example slices of version .* of example \d hold a non-string at position 1/], ['{"a": 1}', /example slices of version .* of example \d are not an array/], ['[', /stored example slices is not valid JSON/]] as const) {
        await store.db.updateTable('examples').set({ slices }).where('version_id', '=', bad.id).where('id', '=', 'b').execute();
        await expect(store.datasets.exampleSlices(bad.id)).rejects.toThrow(problem);
      }
      const metrics = ['zeta', 'alpha', 'mid'].map((name) => ({ name, scorerType: 'function' as const, scorerVersion: 'v1', owner: 'o@x' }));
      const run = await store.runs.create({ projectId: p.id, datasetVersionId: version.id, targetType: 'module', targetVariant: 'cols', metrics, labels: {}, repeat: 3 });
      const writes = [];
      for (const exampleId of ['b', 'a', 'é', 'B']) {
        for (let trial = 2; trial >= 0; trial--) {
          if (exampleId === 'B' && trial === 1) {
            writes.push({ exampleId, trial, output: null, toolCalls: [], latencyMs: 1, error: 'boom', cached: false, attempts: 1, scores: {} });
            continue;
          }
          const v = (exampleId.charCodeAt(0) * 7 + trial * 13) % 100 / 99;
          writes.push({
            exampleId,
            trial,
            output: 'x',
            toolCalls: [],
            latencyMs: 1,
            cached: false,
            attempts: 1,
            scores: { zeta: scored('v1', v > 0.5, { value: v }), alpha: trial === 2 ? errored('v1', 'down') : scored('v1', true), mid: exampleId === 'a' ? skipped('v1', 'n/a') : scored('v1', false, { value: 1 / 3 }) },
          });
        }
      }
      await store.runs.appendResults(run.id, writes);
      const rows = await store.runs.scoreRows(run.id);
      expect(rows).toHaveLength(33);
      for (const reader of [store.runs, new RunRepository(store.db)]) {
        const cols = await reader.scoreColumns(run.id);
        expect(cols.length).toBe(rows.length);
        const cells = Array.from({ length: cols.length }, (_, i) => scoreCellAt(cols, i));
        const key = (c: { exampleId: string; trial: number; metric: string }) => [c.exampleId, c.trial, c.metric] as const;
        // Ordered by example, then trial, then metric (the order of the primary key).
        for (let i = 1; i < cells.length; i++) {
          const [e0, t0] = key(cells[i - 1]!);
          const [e1, t1] = key(cells[i]!);
          if (e0 === e1) expect(t1).toBeGreaterThanOrEqual(t0);
        }
        const byKey = (list: typeof rows) => new Map(list.map((c) => [key(c).join('|'), c]));
        expect(byKey(cells)).toEqual(byKey(rows));
      }
      expect(await store.runs.scoreColumns('run_none')).toMatchObject({ length: 0, exampleIds: [], metrics: [] });
    });

    it('refuses a duplicate result for the same example and trial, keeping the first', async () => {
      const p = await store.projects.ensure('alpha');
      const [run] = await store.runs.list(p.id, { limit: 1 });
      await expect(
        store.runs.appendResults(run!.id, [
          { exampleId: 'z', trial: 0, output: 'x', toolCalls: [], latencyMs: 1, cached: false, attempts: 1, scores: {} },
          { exampleId: 'a', trial: 0, output: 'dup', toolCalls: [], latencyMs: 1, cached: false, attempts: 1, scores: {} },
        ]),
      ).rejects.toThrow();
      const results = await store.runs.results(run!.id);
      expect(results.map((r) => r.exampleId)).toEqual(['a', 'b', 'c']);
      expect(results[0]!.output).toEqual({ text: 'ok' });
    });

    it('finishes a run and lists it with its status', async () => {
      const p = await store.projects.ensure('alpha');
      const [run] = await store.runs.list(p.id, { limit: 1 });
      await store.runs.finish(run!.id, 'incomplete', null, 'interrupted');
      const back = await store.runs.get(run!.id);
      expect(back).toMatchObject({ status: 'incomplete', error: 'interrupted', labels: { branch: 'main' } });
      expect(back.finishedAt).not.toBeNull();
      await expect(store.runs.get('run_missing')).rejects.toMatchObject({ code: 'not_found' });
    });

    it('shows a running run whose heartbeat stopped as incomplete (its process died)', async () => {
      const p = await store.projects.ensure('alpha');
      const version = await store.datasets.getVersion(p.id, 'cases', 'hash0001');
      const run = await store.runs.create({ projectId: p.id, datasetVersionId: version.id, targetType: 'module', targetVariant: 'v', metrics: [], labels: {}, repeat: 1 });
      expect((await store.runs.get(run.id)).status).toBe('running');
      const later = new RunRepository(store.db, () => Date.now() + HEARTBEAT_STALE_MS + 1_000);
      expect((await later.get(run.id)).status).toBe('incomplete');
      await store.runs.heartbeat(run.id);
      const soon = new RunRepository(store.db, () => Date.now() + 1_000);
      expect((await soon.get(run.id)).status).toBe('running');
    });

    it('filters by status before the limit, telling running from incomplete by the heartbeat', async () => {
      const p = await store.projects.ensure('status-filter');
      const version = await store.datasets.getVersion((await store.projects.ensure('alpha')).id, 'cases', 'hash0001');
      const make = () => store.runs.create({ projectId: p.id, datasetVersionId: version.id, targetType: 'module', targetVariant: 'v', metrics: [], labels: {}, repeat: 1 });
      const done = await make();
      await store.runs.finish(done.id, 'completed', null);
      await new Promise((r) => setTimeout(r, 5)); // started_at orders the list
      const dead = await make(); // never heartbeats again: incomplete once stale
      const later = new RunRepository(store.db, () => Date.now() + HEARTBEAT_STALE_MS + 1_000);
      expect((await later.list(p.id, { status: 'completed', limit: 1 })).map((r) => r.id)).toEqual([done.id]);
      expect((await later.list(p.id, { status: 'incomplete', limit: 5 })).map((r) => r.id)).toEqual([dead.id]);
      expect(await later.list(p.id, { status: 'running', limit: 5 })).toEqual([]);
      expect((await store.runs.list(p.id, { status: 'running', limit: 5 })).map((r) => r.id)).toEqual([dead.id]);
    });

    it('caches responses by key and overwrites on put', async () => {
      await store.cache.putMany([{ key: 'k1', targetVariant: 'v', value: '"one"' }]);
      await store.cache.putMany([{ key: 'k1', targetVariant: 'v', value: '"uno"' }, { key: 'k2', targetVariant: 'v', value: '2' }]);
      const got = await store.cache.getMany(['k1', 'k2', 'k3']);
      expect(Object.fromEntries(got)).toEqual({ k1: '"uno"', k2: '2' });
      const entry = await store.cache.getEntry('k1');
      expect(entry?.value).toBe('"uno"');
      expect(Number.isNaN(Date.parse(entry?.createdAt ?? ''))).toBe(false);
      expect(await store.cache.getEntry('k3')).toBeUndefined();
      expect(await store.cache.clear('v')).toBe(2);
      expect(await store.cache.get('k1')).toBeUndefined();
    });

    it('stores gate decisions and overrides, and finds the last approved run by effective outcome', async () => {
      const p = await store.projects.ensure('alpha');
      const version = await store.datasets.getVersion(p.id, 'cases', 'hash0001');
      const mk = () => store.runs.create({ projectId: p.id, datasetVersionId: version.id, targetType: 'module', targetVariant: 'v', metrics: [], labels: {}, repeat: 1 });
      const [r1, r2, r3] = [await mk(), await mk(), await mk()];
      const decide = async (id: string, run: string, outcome: 'approve' | 'block', at: string) =>
        store.decisions.create({ id, createdAt: at, projectId: p.id, candidateRunId: run, baselineRunId: null, outcome, rolloutPercent: null, document: { note: id } });
      await decide('gd_1', r1.id, 'approve', '2026-01-01T00:00:01.000Z');
      await decide('gd_2', r2.id, 'block', '2026-01-01T00:00:02.000Z');
      expect(await store.decisions.lastApprovedRunId(p.id)).toBe(r1.id);
      expect(await store.decisions.lastApprovedRunId(p.id, 'cases')).toBe(r1.id);
      expect(await store.decisions.lastApprovedRunId(p.id, 'other-dataset')).toBeUndefined();
      await store.decisions.addOverride({ decisionId: 'gd_2', actor: 'owner@x', role: 'owner', reason: 'accepted risk', evidenceUrl: 'https://x', outcome: 'approve' });
      expect(await store.decisions.lastApprovedRunId(p.id)).toBe(r2.id);
      await decide('gd_3', r3.id, 'block', '2026-01-01T00:00:03.000Z');
      expect(await store.decisions.lastApprovedRunId(p.id)).toBe(r2.id);
      const DocSchema = z.object({ note: z.string() });
      const back = await store.decisions.get('gd_2', DocSchema);
      expect(back).toMatchObject({ outcome: 'block', effectiveOutcome: 'approve', document: { note: 'gd_2' } });
      expect(back.overrides).toHaveLength(1);
      expect((await store.decisions.list(p.id, DocSchema)).map((d) => d.id)).toEqual(['gd_3', 'gd_2', 'gd_1']);
      await expect(store.decisions.get('gd_missing', DocSchema)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('lists decision heads a page at a time, newest first, ties by id, with the outcome and percentage in force', async () => {
      const p = await store.projects.ensure('heads');
      const { version } = await store.datasets.saveVersion(p.id, 'cases', 'hash0001', [{ id: 'e1', input: 'hi', metadata: {}, slices: [], source: 'manual' }]);
      const labelled = await store.runs.create({ projectId: p.id, datasetVersionId: version.id, targetType: 'model', targetVariant: 'abcdef0123456789', targetLabel: 'openai:gpt-4.1-mini', metrics: [], labels: {}, repeat: 1 });
      const older = await store.runs.create({ projectId: p.id, datasetVersionId: version.id, targetType: 'module', targetVariant: '9876543210fedcba', metrics: [], labels: {}, repeat: 1 });
      const at = ['2026-02-01T00:00:01.000Z', '2026-02-01T00:00:02.000Z', '2026-02-01T00:00:02.000Z', '2026-02-01T00:00:02.000Z', '2026-02-01T00:00:03.000Z'];
      for (const [i, createdAt] of at.entries()) {
        const run = i % 2 === 0 ? labelled : older;
        const document = { candidate: { runId: run.id, variant: run.targetVariant }, summary: `decision ${i}`, owners: i === 4 ? ['a@x', 'b@x'] : [], findings: [{ big: 'x'.repeat(1000) }] };
        await store.decisions.create({ id: `gh_${i}`, createdAt, projectId: p.id, candidateRunId: run.id, baselineRunId: null, outcome: i === 4 ? 'narrow' : 'block', rolloutPercent: i === 4 ? 20 : null, document });
      }
      await store.decisions.addOverride({ decisionId: 'gh_1', actor: 'o@x', role: 'owner', reason: 'accepted risk', evidenceUrl: 'https://x', outcome: 'approve' });
      await new Promise((resolve) => setTimeout(resolve, 5)); // overrides are ordered by their time
      await store.decisions.addOverride({ decisionId: 'gh_1', actor: 'o@x', role: 'owner', reason: 'narrowed after all', evidenceUrl: 'https://x', outcome: 'narrow', rolloutPercent: 5 });
      const all = await store.decisions.heads(p.id, { limit: 10 });
      expect(all.map((d) => d.id)).toEqual(['gh_4', 'gh_3', 'gh_2', 'gh_1', 'gh_0']);
      expect(all[0]).toEqual({
        id: 'gh_4', createdAt: at[4], outcome: 'narrow', rolloutPercent: 20, candidateRunId: labelled.id, baselineRunId: null, variant: 'abcdef0123456789', targetType: 'model', targetLabel: 'openai:gpt-4.1-mini',
        summary: 'decision 4', owners: ['a@x', 'b@x'], overrides: 0, effectiveOutcome: 'narrow', effectiveRolloutPercent: 20,
      });
      expect(all[3]).toMatchObject({ id: 'gh_1', outcome: 'block', overrides: 2, effectiveOutcome: 'narrow', effectiveRolloutPercent: 5, targetType: 'module', targetLabel: null, owners: [] });
      const paged: string[] = [];
      let after: { createdAt: string; id: string } | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await store.decisions.heads(p.id, { limit: 2, ...(after ? { after } : {}) });
        paged.push(...page.map((d) => d.id));
        const last = page.at(-1);
        if (page.length < 2 || last === undefined) break;
        after = { createdAt: last.createdAt, id: last.id };
      }
      expect(paged).toEqual(all.map((d) => d.id));
      const back = await store.decisions.get('gh_1', z.unknown());
      expect(back).toMatchObject({ effectiveOutcome: 'narrow', effectiveRolloutPercent: 5 });
      expect(back.overrides.map((o) => o.rolloutPercent)).toEqual([null, 5]);
    });
  });
}
