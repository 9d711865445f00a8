import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalOpsError } from '../../src/core/errors.js';
import { rubricFromLabels } from '../../src/core/review/rubric.js';
import type { NewReviewItem, ReviewQueueRecord } from '../../src/store/review-repository.js';
import type { Store } from '../../src/store/store.js';

/**
 * The review repository contract, run on every dialect: an item enters a queue once; a reviewer gets
 * an item once and labels it once; no item goes to more reviewers than the queue asks for, even
 * under parallel calls; labels outside the rubric and labels on unassigned items are refused.
 */
export function describeReviewContract(dialect: string, open: () => Promise<Store>): void {
  describe(`ReviewRepository contract (${dialect})`, () => {
    let store: Store;
    let projectId: string;
    const rubric = rubricFromLabels(['wrong', 'partial', 'right'], ['right']);
    let counter = 0;

    beforeAll(async () => {
      store = await open();
      projectId = (await store.projects.ensure(`review-contract-${Date.now()}`)).id;
    });
    afterAll(async () => {
      await store?.close();
    });

    async function queue(reviewersPerItem: number, items: number): Promise<ReviewQueueRecord> {
      const q = await store.reviews.createQueue({ projectId, name: `q${++counter}`, metric: 'helpfulness', rubric, reviewers: [], reviewersPerItem, createdBy: 'lead' });
      await store.reviews.addItems(q, Array.from({ length: items }, (_, i) => item(`k${i}`)));
      return q;
    }

    function item(key: string): NewReviewItem {
      return { key, source: 'result', runId: 'run_x', exampleId: key, reason: 'sample', payload: { input: key, output: `out ${key}`, toolCalls: [], slices: ['lang:en'], judge: null, checks: {}, latencyMs: null, costUsd: null } };
    }

    async function refusal(p: Promise<unknown>): Promise<EvalOpsError> {
      const e = await p.then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(EvalOpsError);
      return e as EvalOpsError;
    }

    it('refuses a second queue of the same name in a project', async () => {
      const q = await queue(1, 0);
      const e = await refusal(store.reviews.createQueue({ projectId, name: q.name, metric: 'm', rubric, reviewers: [], reviewersPerItem: 1, createdBy: 'x' }));
      expect(e.code).toBe('conflict');
    });

    it('adds an item to a queue once, however often it is routed', async () => {
      const q = await queue(1, 3);
      expect(await store.reviews.addItems(q, [item('k1'), item('k9'), item('k9')])).toEqual({ added: 1, skipped: 2 });
      const items = await store.reviews.items(q.id);
      expect(items.map((i) => i.key)).toEqual(['k0', 'k1', 'k2', 'k9']);
      expect(items.map((i) => i.position)).toEqual([0, 1, 2, 3]);
    });

    it('hands the open item back until it is labelled, and never more reviewers than asked', async () => {
      const q = await queue(2, 2);
      const a1 = await store.reviews.next(q, 'ann');
      expect((await store.reviews.next(q, 'ann'))?.id).toBe(a1?.id);
      const b1 = await store.reviews.next(q, 'bo');
      expect(b1?.id).toBe(a1?.id);
      const c1 = await store.reviews.next(q, 'cy');
      expect(c1?.key).toBe('k1'); // k0 has its two reviewers
      await store.reviews.label(q, a1!.id, 'ann', { label: 'right' });
      const a2 = await store.reviews.next(q, 'ann');
      expect(a2?.key).toBe('k1');
      await store.reviews.label(q, a2!.id, 'ann', { label: 'right' });
      expect(await store.reviews.next(q, 'ann')).toBeNull(); // k0 and k1 both done by ann
    });

    it('settles an item when its reviewers agree, and leaves it disputed when they do not', async () => {
      const q = await queue(2, 2);
      for (const reviewer of ['ann', 'bo']) {
        const first = await store.reviews.next(q, reviewer);
        await store.reviews.label(q, first!.id, reviewer, { label: 'right', seconds: 30 });
        const second = await store.reviews.next(q, reviewer);
        await store.reviews.label(q, second!.id, reviewer, { label: reviewer === 'ann' ? 'wrong' : 'partial', seconds: 60 });
      }
      const [k0, k1] = await store.reviews.items(q.id);
      expect([k0?.truth, k0?.truthBy]).toEqual(['right', 'consensus']);
      expect(k1?.truth).toBeNull();
      const progress = await store.reviews.progress(q);
      expect(progress).toMatchObject({ items: 2, complete: 2, settled: 1, disputed: 1, labels: 4 });
      expect(progress.reviewers).toEqual([
        { reviewer: 'ann', labelled: 2, open: 0, seconds: 90 },
        { reviewer: 'bo', labelled: 2, open: 0, seconds: 90 },
      ]);
      expect((await store.reviews.items(q.id, { status: 'disputed', reviewersPerItem: 2 })).map((i) => i.key)).toEqual(['k1']);
      const settled = await store.reviews.adjudicate(q, k1!.id, 'partial', 'owner@example.com');
      expect([settled.truth, settled.truthBy]).toEqual(['partial', 'owner@example.com']);
      expect((await store.reviews.progress(q)).disputed).toBe(0);
    });

    it('refuses a label outside the rubric, on an item not assigned, and a second label', async () => {
      const q = await queue(1, 2);
      const mine = await store.reviews.next(q, 'ann');
      expect((await refusal(store.reviews.label(q, mine!.id, 'ann', { label: 'excellent' }))).message).toMatch(/not in the rubric.*wrong, partial, right/);
      const other = (await store.reviews.items(q.id)).find((i) => i.id !== mine!.id)!;
      expect((await refusal(store.reviews.label(q, other.id, 'ann', { label: 'right' }))).code).toBe('forbidden');
      await store.reviews.label(q, mine!.id, 'ann', { label: 'right' });
      const again = await refusal(store.reviews.label(q, mine!.id, 'ann', { label: 'wrong' }));
      expect([again.code, again.message]).toEqual(['conflict', expect.stringMatching(/already labelled/)]);
      expect((await store.reviews.labels(q.id)).map((l) => l.label)).toEqual(['right']);
    });

    it('counts every label and settles the item when reviewers label it at the same moment', async () => {
      for (let round = 0; round < 4; round++) {
        const q = await queue(3, 1);
        const taken = await Promise.all(['ann', 'bo', 'cy'].map((r) => store.reviews.next(q, r)));
        expect(new Set(taken.map((t) => t?.id)).size).toBe(1);
        await Promise.all(['ann', 'bo', 'cy'].map((r) => store.reviews.label(q, taken[0]!.id, r, { label: 'partial' })));
        const [item] = await store.reviews.items(q.id);
        expect([item?.labelled, item?.truth]).toEqual([3, 'partial']);
      }
    });

    it('never gives one assignment twice to parallel callers', async () => {
      const q = await queue(2, 10);
      const reviewers = Array.from({ length: 12 }, (_, i) => `r${i}`);
      // Each reviewer asks five times at once, and everyone at the same time.
      const got = await Promise.all(reviewers.flatMap((r) => Array.from({ length: 5 }, () => store.reviews.next(q, r).then((item) => [r, item?.id ?? null] as const))));
      for (const r of reviewers) expect(new Set(got.filter(([who]) => who === r).map(([, id]) => id)).size).toBe(1);
      expect(got.filter(([, id]) => id === null)).toEqual([]); // 20 places for 12 reviewers: nobody is told 'done'
      const rows = await store.db.selectFrom('review_assignments').select(['item_id', 'reviewer']).where('queue_id', '=', q.id).execute();
      expect(rows).toHaveLength(12);
      const perItem = new Map<string, number>();
      for (const row of rows) perItem.set(row.item_id, (perItem.get(row.item_id) ?? 0) + 1);
      expect(Math.max(...perItem.values())).toBeLessThanOrEqual(2);
      const items = await store.reviews.items(q.id);
      expect(items.reduce((s, i) => s + i.assigned, 0)).toBe(12);
      for (const i of items) expect(i.assigned).toBe(perItem.get(i.id) ?? 0);
    });
  });
}
