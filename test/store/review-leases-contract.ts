import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalOpsError } from '../../src/core/errors.js';
import { rubricFromLabels } from '../../src/core/review/rubric.js';
import type { NewReviewItem, ReviewQueueRecord } from '../../src/store/review-repository.js';
import type { Store } from '../../src/store/store.js';

/**
 * The assignment-lease contract, run on every dialect: an item a reviewer took and did not label
 * returns to the queue after the queue's lease; skip gives it to someone else and never back to the
 * skipper; release gives it back to anyone; each assignment ends once, even when sweeps run at once;
 * reviewers asking at once never share an item of a one-reviewer queue.
 */
export function describeReviewLeasesContract(dialect: string, open: (now: () => number) => Promise<Store>): void {
  describe(`review leases (${dialect})`, () => {
    let store: Store;
    let projectId: string;
    let clock = Date.parse('2026-12-06T10:00:00Z');
    const rubric = rubricFromLabels(['wrong', 'right'], ['right']);
    let counter = 0;

    beforeAll(async () => {
      store = await open(() => clock);
      projectId = (await store.projects.ensure(`leases-${Date.now()}`)).id;
    });
    afterAll(async () => {
      await store?.close();
    });

    async function queue(items: number, options: { perItem?: number; lease?: number } = {}): Promise<ReviewQueueRecord> {
      const q = await store.reviews.createQueue({
        projectId,
        name: `lq${++counter}`,
        metric: 'helpfulness',
        rubric,
        reviewers: [],
        reviewersPerItem: options.perItem ?? 1,
        ...(options.lease === undefined ? {} : { leaseMinutes: options.lease }),
        createdBy: 'lead',
      });
      await store.reviews.addItems(q, Array.from({ length: items }, (_, i) => item(`k${i}`)));
      return q;
    }

    function item(key: string): NewReviewItem {
      return { key, source: 'result', runId: 'run_x', exampleId: key, reason: 'sample', payload: { input: key, output: `out ${key}`, toolCalls: [], slices: [], judge: null, checks: {}, latencyMs: null, costUsd: null } };
    }

    async function refusal(p: Promise<unknown>): Promise<EvalOpsError> {
      const e = await p.then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(EvalOpsError);
      return e as EvalOpsError;
    }

    it('gives a queue a 30-minute lease unless it says otherwise, and reads it back', async () => {
      const q = await queue(0);
      expect(q.leaseMinutes).toBe(30);
      expect((await store.reviews.getQueue(projectId, q.name)).leaseMinutes).toBe(30);
      const short = await queue(0, { lease: 5 });
      expect((await store.reviews.getQueue(projectId, short.id)).leaseMinutes).toBe(5);
    });

    it('returns an unlabelled item to the queue once its lease has passed, not before', async () => {
      const q = await queue(1, { lease: 10 });
      const held = await store.reviews.next(q, 'ann');
      expect(held?.assigned).toBe(1);
      expect(await store.reviews.next(q, 'bo')).toBeNull();
      clock += 10 * 60_000 - 1; // the lease is not over yet
      expect(await store.reviews.expireLeases(q)).toEqual([]);
      clock += 2;
      const expired = await store.reviews.expireLeases(q);
      expect(expired.map((e) => [e.itemId, e.reviewer])).toEqual([[held?.id, 'ann']]);
      expect((await store.reviews.getItem(q, held?.id ?? '')).assigned).toBe(0);
      expect((await store.reviews.next(q, 'bo'))?.id).toBe(held?.id);
      expect(await store.reviews.expireLeases(q)).toEqual([]); // bo's lease is fresh
    });

    it('ends each expired assignment once when sweeps run at once', async () => {
      const q = await queue(4, { lease: 1 });
      for (const r of ['ann', 'bo', 'cy', 'di']) await store.reviews.next(q, r);
      clock += 61_000;
      const sweeps = await Promise.all(Array.from({ length: 6 }, () => store.reviews.expireLeases(q)));
      expect(sweeps.flat()).toHaveLength(4);
      const items = await store.reviews.items(q.id);
      expect(items.map((i) => i.assigned)).toEqual([0, 0, 0, 0]);
    });

    it('skip: the item goes to another reviewer and is never offered to the skipper again', async () => {
      const q = await queue(2);
      const first = await store.reviews.next(q, 'ann');
      const skipped = await store.reviews.giveBack(q, first?.id ?? '', 'ann', 'skip');
      expect(skipped.assigned).toBe(0);
      const annNext = await store.reviews.next(q, 'ann');
      expect(annNext?.id).not.toBe(first?.id);
      expect((await store.reviews.next(q, 'bo'))?.id).toBe(first?.id);
      await store.reviews.label(q, annNext?.id ?? '', 'ann', { label: 'right' });
      expect(await store.reviews.next(q, 'ann')).toBeNull(); // only the skipped item is left: not for ann
    });

    it('release: the item returns to the queue, for anyone, the releaser included', async () => {
      const q = await queue(1);
      const held = await store.reviews.next(q, 'ann');
      const released = await store.reviews.giveBack(q, held?.id ?? '', 'ann', 'release');
      expect(released.assigned).toBe(0);
      expect((await store.reviews.next(q, 'ann'))?.id).toBe(held?.id);
    });

    it('refuses to give back an item not held, already labelled, or of another queue', async () => {
      const q = await queue(2);
      const other = await queue(1);
      const held = await store.reviews.next(q, 'ann');
      expect((await refusal(store.reviews.giveBack(q, held?.id ?? '', 'bo', 'skip'))).code).toBe('conflict');
      const foreign = await store.reviews.next(other, 'ann');
      expect((await refusal(store.reviews.giveBack(q, foreign?.id ?? '', 'ann', 'release'))).code).toBe('not_found');
      await store.reviews.label(q, held?.id ?? '', 'ann', { label: 'wrong' });
      const e = await refusal(store.reviews.giveBack(q, held?.id ?? '', 'ann', 'release'));
      expect(e.code).toBe('conflict');
      expect(e.message).toMatch(/already labelled/);
      expect((await store.reviews.getItem(q, held?.id ?? '')).assigned).toBe(1);
    });

    it('never gives one item of a one-reviewer queue to two reviewers asking at once', async () => {
      const q = await queue(8);
      const reviewers = Array.from({ length: 10 }, (_, i) => `p${i}`);
      const got = await Promise.all(reviewers.map((r) => store.reviews.next(q, r)));
      const ids = got.flatMap((i) => (i ? [i.id] : []));
      expect(ids).toHaveLength(8);
      expect(new Set(ids).size).toBe(8);
      expect(got.filter((i) => i === null)).toHaveLength(2);
    });
  });
}
