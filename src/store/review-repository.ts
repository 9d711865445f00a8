import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { ReviewPayloadSchema, ReviewReasonSchema, ReviewSourceSchema, type JudgeVerdict, type ReviewPayload, type ReviewReason, type ReviewSource } from '../core/review/review-item.js';
import { RubricSchema, rubricLabels, type Rubric } from '../core/review/rubric.js';
import { settledLabel } from '../core/review/settle-item.js';
import { withWriteRetry } from './audit-repository.js';
import type { Database } from './database.js';
import { newId } from './ids.js';
import { fromJson, toJson } from './json-column.js';

type Executor = Kysely<Database> | Transaction<Database>;

export interface NewReviewQueue {
  readonly projectId: string;
  readonly name: string;
  readonly metric: string;
  readonly rubric: Rubric;
  /** Reviewer names allowed to take items; empty: any reviewer. */
  readonly reviewers: readonly string[];
  readonly reviewersPerItem: number;
  /** Minutes an unlabelled assignment holds its item before the item returns to the queue; default 30. */
  readonly leaseMinutes?: number;
  readonly createdBy: string;
}

export interface ReviewQueueRecord extends NewReviewQueue {
  readonly leaseMinutes: number;
  readonly id: string;
  readonly createdAt: string;
}

export interface NewReviewItem {
  readonly key: string;
  readonly source: ReviewSource;
  readonly runId?: string;
  readonly exampleId?: string;
  readonly traceId?: string;
  readonly reason: ReviewReason;
  readonly payload: ReviewPayload;
}

export interface ReviewItemRecord extends NewReviewItem {
  readonly id: string;
  readonly queueId: string;
  readonly position: number;
  readonly assigned: number;
  readonly labelled: number;
  readonly truth: string | null;
  readonly truthBy: string | null;
  readonly createdAt: string;
}

export interface ReviewLabelRecord {
  readonly itemId: string;
  readonly reviewer: string;
  readonly label: string;
  readonly note: string | null;
  readonly seconds: number | null;
  readonly createdAt: string;
}

export interface NewReviewLabel {
  readonly label: string;
  readonly note?: string;
  readonly seconds?: number;
}

/** Counts of a queue's items and of each reviewer's work. */
export interface QueueProgress {
  readonly items: number;
  /** Items with as many labels as the queue asks for. */
  readonly complete: number;
  readonly settled: number;
  /** Complete items whose reviewers disagree and no one adjudicated. */
  readonly disputed: number;
  readonly labels: number;
  readonly reviewers: readonly { readonly reviewer: string; readonly labelled: number; readonly open: number; readonly seconds: number }[];
}

/** An assignment that outlived its queue's lease. */
export interface ExpiredAssignment {
  readonly itemId: string;
  readonly reviewer: string;
  readonly assignedAt: string;
}

export type ReviewItemStatus = 'open' | 'settled' | 'disputed';

export interface ReviewBurdenCounts {
  readonly resultItems: number;
  readonly traceItems: number;
  readonly settled: number;
  readonly runIds: readonly string[];
  readonly labels: number;
  readonly timedLabels: number;
  readonly seconds: number;
}

const StringList = z.array(z.string());
const MAX_NEXT_ATTEMPTS = 20;
/** How long an unlabelled assignment holds its item when the queue does not say. */
export const DEFAULT_LEASE_MINUTES = 30;

/**
 * Review queues, items, assignments and labels. The rules the database enforces: an item enters a
 * queue once (unique key per queue), a reviewer is assigned an item once and labels it once (primary
 * keys), a reviewer holds at most one open assignment per queue (a partial unique index), and an item
 * is never handed to more reviewers than the queue asks for (a conditional update of its count).
 */
export class ReviewRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
    /** On PostgreSQL a candidate item is locked with SKIP LOCKED, so reviewers asking at once take different items instead of queueing on one row. */
    private readonly dialect: 'sqlite' | 'postgres' = 'sqlite',
  ) {}

  async createQueue(queue: NewReviewQueue): Promise<ReviewQueueRecord> {
    const record: ReviewQueueRecord = { ...queue, leaseMinutes: queue.leaseMinutes ?? DEFAULT_LEASE_MINUTES, id: newId('rq'), createdAt: new Date(this.now()).toISOString() };
    try {
      await this.db
        .insertInto('review_queues')
        .values({
          id: record.id,
          project_id: queue.projectId,
          name: queue.name,
          metric: queue.metric,
          rubric: toJson(queue.rubric),
          reviewers: toJson(queue.reviewers),
          reviewers_per_item: queue.reviewersPerItem,
          lease_minutes: record.leaseMinutes,
          created_by: queue.createdBy,
          created_at: record.createdAt,
        })
        .execute();
    } catch (e) {
      if (isUnique(e)) throw new EvalOpsError('conflict', `review queue "${queue.name}" already exists in this project`);
      throw e;
    }
    return record;
  }

  /** A queue of the project by name or id. */
  async getQueue(projectId: string, ref: string): Promise<ReviewQueueRecord> {
    const row = await this.db
      .selectFrom('review_queues')
      .selectAll()
      .where('project_id', '=', projectId)
      .where((eb) => eb.or([eb('name', '=', ref), eb('id', '=', ref)]))
      .executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `review queue "${ref}" not found`);
    return toQueue(row);
  }

  async listQueues(projectId: string): Promise<ReviewQueueRecord[]> {
    const rows = await this.db.selectFrom('review_queues').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toQueue);
  }

  /**
   * Adds items to a queue in one transaction; an item whose key is already in the queue is skipped.
   * Returns how many were added.
   */
  async addItems(queue: ReviewQueueRecord, items: readonly NewReviewItem[]): Promise<{ added: number; skipped: number }> {
    if (items.length === 0) return { added: 0, skipped: 0 };
    const unique = [...new Map(items.map((i) => [i.key, i])).values()];
    return withWriteRetry(() =>
      this.db.transaction().execute(async (trx) => {
        const existing = new Set<string>();
        for (let i = 0; i < unique.length; i += 500) {
          const keys = unique.slice(i, i + 500).map((u) => u.key);
          for (const r of await trx.selectFrom('review_items').select('item_key').where('queue_id', '=', queue.id).where('item_key', 'in', keys).execute()) existing.add(r.item_key);
        }
        const fresh = unique.filter((u) => !existing.has(u.key));
        const top = await trx.selectFrom('review_items').select((eb) => eb.fn.max('position').as('p')).where('queue_id', '=', queue.id).executeTakeFirst();
        let position = top?.p === null || top?.p === undefined ? 0 : Number(top.p) + 1;
        const createdAt = new Date(this.now()).toISOString();
        const rows = fresh.map((item) => ({
          id: newId('ri'),
          queue_id: queue.id,
          project_id: queue.projectId,
          item_key: item.key,
          source: item.source,
          run_id: item.runId ?? null,
          example_id: item.exampleId ?? null,
          trace_id: item.traceId ?? null,
          reason: item.reason,
          payload: toJson(item.payload),
          position: position++,
          assigned: 0,
          labelled: 0,
          truth: null,
          truth_by: null,
          created_at: createdAt,
        }));
        for (let i = 0; i < rows.length; i += 100) await trx.insertInto('review_items').values(rows.slice(i, i + 100)).execute();
        return { added: fresh.length, skipped: items.length - fresh.length };
      }),
    );
  }

  /**
   * The reviewer's next item: the one they hold open, else the first item (queue order) that fewer
   * reviewers than the queue asks for hold and this reviewer never had. Null when there is none.
   * Safe under concurrency: the item's count is raised by a conditional update, so no item goes to
   * more reviewers than asked, and the one-open-assignment index stops a reviewer's parallel calls
   * from taking two.
   */
  async next(queue: ReviewQueueRecord, reviewer: string): Promise<ReviewItemRecord | null> {
    for (let attempt = 0; attempt < MAX_NEXT_ATTEMPTS; attempt++) {
      try {
        const item = await this.db.transaction().execute(async (trx) => {
          const open = await this.openItem(trx, queue.id, reviewer);
          if (open) return open;
          // On PostgreSQL, first skip items other transactions hold (no queueing on one row); when that
          // finds nothing, look again without skipping, so a locked last item never reads as "done".
          for (let skipLocked = this.dialect === 'postgres'; ; ) {
            const candidate = await trx
              .selectFrom('review_items as i')
              .select('i.id')
              .where('i.queue_id', '=', queue.id)
              .where('i.assigned', '<', queue.reviewersPerItem)
              .where('i.truth_by', 'is', null)
              .where((eb) => eb.not(eb.exists(eb.selectFrom('review_assignments as a').select('a.item_id').whereRef('a.item_id', '=', 'i.id').where('a.reviewer', '=', reviewer))))
              .where((eb) => eb.not(eb.exists(eb.selectFrom('review_skips as s').select('s.item_id').whereRef('s.item_id', '=', 'i.id').where('s.reviewer', '=', reviewer))))
              .orderBy('i.position')
              .limit(1)
              .$if(skipLocked, (q) => q.forUpdate('i').skipLocked())
              .executeTakeFirst();
            if (!candidate) {
              if (!skipLocked) return null;
              skipLocked = false;
              continue;
            }
            const taken = await trx
              .updateTable('review_items')
              .set((eb) => ({ assigned: eb('assigned', '+', 1) }))
              .where('id', '=', candidate.id)
              .where('assigned', '<', queue.reviewersPerItem)
              .executeTakeFirst();
            if (Number(taken.numUpdatedRows) === 0) continue; // another reviewer took the last place
            await trx.insertInto('review_assignments').values({ item_id: candidate.id, queue_id: queue.id, reviewer, assigned_at: new Date(this.now()).toISOString(), labelled_at: null }).execute();
            return this.item(trx, candidate.id);
          }
        });
        return item;
      } catch (e) {
        if (!isUnique(e) && !isConflict(e)) throw e;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
      }
    }
    throw new EvalOpsError('infrastructure', 'could not assign a review item: too many concurrent assignments', { retryable: true });
  }

  /**
   * Ends the assignments of the queue that outlived its lease without a label: each item returns to
   * the queue (its count lowered), and its reviewer may be offered it again. Safe under concurrency:
   * an assignment is deleted once, and only the transaction that deleted it lowers the count.
   * Returns the assignments it ended.
   */
  async expireLeases(queue: ReviewQueueRecord): Promise<ExpiredAssignment[]> {
    const cutoff = new Date(this.now() - queue.leaseMinutes * 60_000).toISOString();
    const stale = await this.db
      .selectFrom('review_assignments')
      .select(['item_id', 'reviewer', 'assigned_at'])
      .where('queue_id', '=', queue.id)
      .where('labelled_at', 'is', null)
      .where('assigned_at', '<', cutoff)
      .execute();
    const ended: ExpiredAssignment[] = [];
    for (const a of stale) {
      const gone = await withWriteRetry(() => this.db.transaction().execute(async (trx) => this.endAssignment(trx, a.item_id, a.reviewer, cutoff)));
      if (gone) ended.push({ itemId: a.item_id, reviewer: a.reviewer, assignedAt: a.assigned_at });
    }
    return ended;
  }

  /**
   * A reviewer gives back an item they hold and have not labelled: `release` lets the queue offer it
   * to anyone (them included) again; `skip` passes on it, so it goes to someone else and is never
   * offered to them again. Not found for an item of another queue; conflict when they do not hold it.
   */
  async giveBack(queue: ReviewQueueRecord, itemId: string, reviewer: string, how: 'release' | 'skip', db?: Transaction<Database>): Promise<ReviewItemRecord> {
    const work = async (trx: Transaction<Database>): Promise<ReviewItemRecord> => {
      await this.itemInQueue(trx, queue, itemId);
      if (!(await this.endAssignment(trx, itemId, reviewer, null))) {
        const labelled = await trx.selectFrom('review_assignments').select('labelled_at').where('item_id', '=', itemId).where('reviewer', '=', reviewer).executeTakeFirst();
        throw new EvalOpsError(
          'conflict',
          labelled ? `${reviewer} has already labelled item ${itemId}; a labelled item cannot be given back` : `item ${itemId} is not held by ${reviewer} (its lease may have expired); take items with \`evalops review next ${queue.name}\``,
        );
      }
      if (how === 'skip') await trx.insertInto('review_skips').values({ item_id: itemId, queue_id: queue.id, reviewer, skipped_at: new Date(this.now()).toISOString() }).execute();
      return this.item(trx, itemId);
    };
    return db ? work(db) : withWriteRetry(() => this.db.transaction().execute(work));
  }

  /** Deletes an open assignment (older than `before`, when given) and lowers its item's count; false when there was none. */
  private async endAssignment(trx: Executor, itemId: string, reviewer: string, before: string | null): Promise<boolean> {
    const deleted = await trx
      .deleteFrom('review_assignments')
      .where('item_id', '=', itemId)
      .where('reviewer', '=', reviewer)
      .where('labelled_at', 'is', null)
      .$if(before !== null, (q) => q.where('assigned_at', '<', before ?? ''))
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) return false;
    await trx.updateTable('review_items').set((eb) => ({ assigned: eb('assigned', '-', 1) })).where('id', '=', itemId).execute();
    return true;
  }

  /**
   * Records a reviewer's label on an item assigned to them, in one transaction: the label, the
   * assignment closed, the item's count, and its settled label when every reviewer agreed.
   */
  async label(queue: ReviewQueueRecord, itemId: string, reviewer: string, label: NewReviewLabel): Promise<ReviewItemRecord> {
    const labels = rubricLabels(queue.rubric);
    if (!labels.includes(label.label)) {
      throw new EvalOpsError('input', `label "${label.label}" is not in the rubric of queue "${queue.name}" (labels: ${labels.join(', ')})`, { location: 'label' });
    }
    return withWriteRetry(() =>
      this.db.transaction().execute(async (trx) => {
        const item = await this.itemInQueue(trx, queue, itemId);
        const already = await trx.selectFrom('review_labels').select('label').where('item_id', '=', itemId).where('reviewer', '=', reviewer).executeTakeFirst();
        if (already) throw new EvalOpsError('conflict', `${reviewer} has already labelled item ${itemId} (as "${already.label}"); a reviewer labels an item once`);
        const assignment = await trx.selectFrom('review_assignments').select('labelled_at').where('item_id', '=', itemId).where('reviewer', '=', reviewer).executeTakeFirst();
        if (!assignment) throw new EvalOpsError('forbidden', `item ${itemId} is not assigned to ${reviewer}; take items with \`evalops review next ${queue.name}\``);
        const at = new Date(this.now()).toISOString();
        // Counting first takes the item's row lock (PostgreSQL), so labels of the same item by other
        // reviewers commit one after the other and each sees the labels before it.
        await trx.updateTable('review_items').set((eb) => ({ labelled: eb('labelled', '+', 1) })).where('id', '=', itemId).execute();
        await trx
          .insertInto('review_labels')
          .values({ item_id: itemId, queue_id: queue.id, reviewer, label: label.label, note: label.note ?? null, seconds: label.seconds ?? null, created_at: at })
          .execute();
        await trx.updateTable('review_assignments').set({ labelled_at: at }).where('item_id', '=', itemId).where('reviewer', '=', reviewer).execute();
        const given = (await trx.selectFrom('review_labels').select('label').where('item_id', '=', itemId).orderBy('created_at').execute()).map((r) => r.label);
        const consensus = item.truthBy !== null && item.truthBy !== 'consensus' ? null : settledLabel(given, queue.reviewersPerItem);
        await trx
          .updateTable('review_items')
          .set({ labelled: given.length, ...(consensus !== null ? { truth: consensus, truth_by: 'consensus' } : {}) })
          .where('id', '=', itemId)
          .execute();
        return this.item(trx, itemId);
      }),
    );
  }

  /** Sets an item's true label by adjudication (overrides any consensus). */
  async adjudicate(queue: ReviewQueueRecord, itemId: string, label: string, by: string, db: Executor = this.db): Promise<ReviewItemRecord> {
    const labels = rubricLabels(queue.rubric);
    if (!labels.includes(label)) throw new EvalOpsError('input', `label "${label}" is not in the rubric of queue "${queue.name}" (labels: ${labels.join(', ')})`, { location: 'label' });
    const updated = await db.updateTable('review_items').set({ truth: label, truth_by: by }).where('id', '=', itemId).where('queue_id', '=', queue.id).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new EvalOpsError('not_found', `review item ${itemId} not found in queue "${queue.name}"`);
    return this.item(db, itemId);
  }

  async getItem(queue: ReviewQueueRecord, itemId: string): Promise<ReviewItemRecord> {
    return this.itemInQueue(this.db, queue, itemId);
  }

  /**
   * A queue's items in queue order, paged by position. `status`: `settled` (a true label), `disputed`
   * (fully labelled, reviewers disagree, not adjudicated), `open` (still waiting for labels).
   */
  async items(queueId: string, options: { afterPosition?: number; limit?: number; settledOnly?: boolean; status?: ReviewItemStatus; reviewersPerItem?: number } = {}): Promise<ReviewItemRecord[]> {
    const status = options.settledOnly ? 'settled' : options.status;
    const perItem = options.reviewersPerItem ?? 1;
    const rows = await this.db
      .selectFrom('review_items')
      .selectAll()
      .where('queue_id', '=', queueId)
      .$if(options.afterPosition !== undefined, (q) => q.where('position', '>', options.afterPosition ?? -1))
      .$if(status === 'settled', (q) => q.where('truth', 'is not', null))
      .$if(status === 'disputed', (q) => q.where('truth', 'is', null).where('labelled', '>=', perItem))
      .$if(status === 'open', (q) => q.where('truth', 'is', null).where('labelled', '<', perItem))
      .orderBy('position')
      .limit(options.limit ?? 1_000_000)
      .execute();
    return rows.map(toItem);
  }

  /** The labels on these items, oldest first. */
  async labelsFor(itemIds: readonly string[]): Promise<ReviewLabelRecord[]> {
    const out: ReviewLabelRecord[] = [];
    for (let i = 0; i < itemIds.length; i += 500) {
      const rows = await this.db.selectFrom('review_labels').selectAll().where('item_id', 'in', itemIds.slice(i, i + 500)).orderBy('created_at').execute();
      out.push(...rows.map(toLabel));
    }
    return out;
  }

  /** Every label given in a queue, oldest first. */
  async labels(queueId: string): Promise<ReviewLabelRecord[]> {
    const rows = await this.db.selectFrom('review_labels').selectAll().where('queue_id', '=', queueId).orderBy('created_at').orderBy('item_id').execute();
    return rows.map(toLabel);
  }

  async progress(queue: ReviewQueueRecord): Promise<QueueProgress> {
    const counts = await this.db
      .selectFrom('review_items')
      .select((eb) => [
        eb.fn.countAll<number>().as('items'),
        eb.fn.sum<number>(eb.case().when('labelled', '>=', queue.reviewersPerItem).then(1).else(0).end()).as('complete'),
        eb.fn.sum<number>(eb.case().when('truth', 'is not', null).then(1).else(0).end()).as('settled'),
        eb.fn.sum<number>('labelled').as('labels'),
      ])
      .where('queue_id', '=', queue.id)
      .executeTakeFirstOrThrow();
    const perReviewer = await this.db
      .selectFrom('review_assignments as a')
      .leftJoin('review_labels as l', (j) => j.onRef('l.item_id', '=', 'a.item_id').onRef('l.reviewer', '=', 'a.reviewer'))
      .select((eb) => [
        'a.reviewer',
        eb.fn.count<number>('l.label').as('labelled'),
        eb.fn.sum<number>(eb.case().when('a.labelled_at', 'is', null).then(1).else(0).end()).as('open'),
        eb.fn.coalesce(eb.fn.sum<number>('l.seconds'), sql.lit(0)).as('seconds'),
      ])
      .where('a.queue_id', '=', queue.id)
      .groupBy('a.reviewer')
      .orderBy('a.reviewer')
      .execute();
    const complete = Number(counts.complete ?? 0);
    const settled = Number(counts.settled ?? 0);
    const disputedRow = await this.db
      .selectFrom('review_items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('queue_id', '=', queue.id)
      .where('labelled', '>=', queue.reviewersPerItem)
      .where('truth', 'is', null)
      .executeTakeFirstOrThrow();
    return {
      items: Number(counts.items),
      complete,
      settled,
      disputed: Number(disputedRow.n),
      labels: Number(counts.labels ?? 0),
      reviewers: perReviewer.map((r) => ({ reviewer: r.reviewer, labelled: Number(r.labelled), open: Number(r.open ?? 0), seconds: Number(r.seconds ?? 0) })),
    };
  }

  /**
   * Attaches the judge's verdict to items that entered without one (production traces), so judge and
   * human can be compared on them. Items that already carry a verdict keep it. Returns how many changed.
   */
  async attachVerdicts(queue: ReviewQueueRecord, verdicts: readonly { itemId: string; verdict: JudgeVerdict }[]): Promise<number> {
    if (verdicts.length === 0) return 0;
    return withWriteRetry(() =>
      this.db.transaction().execute(async (trx) => {
        let changed = 0;
        for (const { itemId, verdict } of verdicts) {
          const item = await this.itemInQueue(trx, queue, itemId);
          if (item.payload.judge !== null) continue;
          await trx.updateTable('review_items').set({ payload: toJson({ ...item.payload, judge: verdict }) }).where('id', '=', itemId).execute();
          changed++;
        }
        return changed;
      }),
    );
  }

  /** What review costs a project: items by source, the runs they came from, labels and time spent. */
  async burden(projectId: string): Promise<ReviewBurdenCounts> {
    const items = await this.db
      .selectFrom('review_items')
      .select((eb) => [
        eb.fn.sum<number>(eb.case().when('source', '=', 'result').then(1).else(0).end()).as('result_items'),
        eb.fn.sum<number>(eb.case().when('source', '=', 'trace').then(1).else(0).end()).as('trace_items'),
        eb.fn.sum<number>(eb.case().when('truth', 'is not', null).then(1).else(0).end()).as('settled'),
      ])
      .where('project_id', '=', projectId)
      .executeTakeFirstOrThrow();
    const runs = await this.db.selectFrom('review_items').select('run_id').distinct().where('project_id', '=', projectId).where('run_id', 'is not', null).execute();
    const labels = await this.db
      .selectFrom('review_labels as l')
      .innerJoin('review_queues as q', 'q.id', 'l.queue_id')
      .select((eb) => [eb.fn.countAll<number>().as('labels'), eb.fn.count<number>('l.seconds').as('timed'), eb.fn.coalesce(eb.fn.sum<number>('l.seconds'), sql.lit(0)).as('seconds')])
      .where('q.project_id', '=', projectId)
      .executeTakeFirstOrThrow();
    return {
      resultItems: Number(items.result_items ?? 0),
      traceItems: Number(items.trace_items ?? 0),
      settled: Number(items.settled ?? 0),
      runIds: runs.map((r) => String(r.run_id)),
      labels: Number(labels.labels),
      timedLabels: Number(labels.timed),
      seconds: Number(labels.seconds ?? 0),
    };
  }

  /** Settled items of the project's queues for a metric, with the judge verdict they entered with. */
  async settledItems(projectId: string, metric: string): Promise<ReviewItemRecord[]> {
    const rows = await this.db
      .selectFrom('review_items as i')
      .innerJoin('review_queues as q', 'q.id', 'i.queue_id')
      .selectAll('i')
      .where('q.project_id', '=', projectId)
      .where('q.metric', '=', metric)
      .where('i.truth', 'is not', null)
      .orderBy('i.created_at')
      .orderBy('i.id')
      .execute();
    return rows.map(toItem);
  }

  private async openItem(db: Executor, queueId: string, reviewer: string): Promise<ReviewItemRecord | undefined> {
    const open = await db.selectFrom('review_assignments').select('item_id').where('queue_id', '=', queueId).where('reviewer', '=', reviewer).where('labelled_at', 'is', null).executeTakeFirst();
    return open ? this.item(db, open.item_id) : undefined;
  }

  /** An item of the queue (whose project the caller resolved it in): an item of any other queue is not found. */
  private async itemInQueue(db: Executor, queue: ReviewQueueRecord, itemId: string): Promise<ReviewItemRecord> {
    const row = await db.selectFrom('review_items').selectAll().where('id', '=', itemId).where('queue_id', '=', queue.id).executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `review item ${itemId} not found in queue "${queue.name}"`);
    return toItem(row);
  }

  private async item(db: Executor, id: string): Promise<ReviewItemRecord> {
    const row = await db.selectFrom('review_items').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `review item ${id} not found`);
    return toItem(row);
  }
}

function toQueue(r: Database['review_queues']): ReviewQueueRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    name: r.name,
    metric: r.metric,
    rubric: fromJson(r.rubric, RubricSchema, 'review rubric'),
    reviewers: fromJson(r.reviewers, StringList, 'queue reviewers'),
    reviewersPerItem: Number(r.reviewers_per_item),
    leaseMinutes: Number(r.lease_minutes),
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

function toItem(r: Database['review_items']): ReviewItemRecord {
  return {
    id: r.id,
    queueId: r.queue_id,
    key: r.item_key,
    source: ReviewSourceSchema.parse(r.source),
    ...(r.run_id === null ? {} : { runId: r.run_id }),
    ...(r.example_id === null ? {} : { exampleId: r.example_id }),
    ...(r.trace_id === null ? {} : { traceId: r.trace_id }),
    reason: ReviewReasonSchema.parse(r.reason),
    payload: fromJson(r.payload, ReviewPayloadSchema, 'review item payload'),
    position: Number(r.position),
    assigned: Number(r.assigned),
    labelled: Number(r.labelled),
    truth: r.truth,
    truthBy: r.truth_by,
    createdAt: r.created_at,
  };
}

function toLabel(r: Database['review_labels']): ReviewLabelRecord {
  return { itemId: r.item_id, reviewer: r.reviewer, label: r.label, note: r.note, seconds: r.seconds === null ? null : Number(r.seconds), createdAt: r.created_at };
}

function isUnique(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

function isConflict(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01' || (typeof code === 'string' && code.startsWith('SQLITE_BUSY'));
}
