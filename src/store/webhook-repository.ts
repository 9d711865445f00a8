import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import {
  isSubscribed,
  WebhookDeliveryStatusSchema,
  WebhookEventsSchema,
  WebhookEventTypeSchema,
  type WebhookDeliveryStatus,
  type WebhookEventType,
  type WebhookSubscription,
} from '../core/monitor/webhook-event.js';
import { isWriteConflict, withWriteRetry, type Executor } from './audit-repository.js';
import type { Database } from './database.js';
import { newId } from './ids.js';
import { fromJson, toJson } from './json-column.js';

/** A webhook as every reader sees it: never with its secret. */
export interface WebhookRecord {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly url: string;
  readonly events: readonly WebhookSubscription[];
  readonly active: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewWebhook {
  readonly projectId: string;
  readonly name: string;
  readonly url: string;
  readonly secret: string;
  readonly events: readonly WebhookSubscription[];
}

export interface NewDelivery {
  readonly webhookId: string;
  readonly eventId: string;
  readonly eventType: WebhookEventType;
  readonly payload: Record<string, unknown>;
}

export interface WebhookDeliveryRecord {
  readonly id: string;
  readonly projectId: string;
  readonly webhookId: string;
  readonly eventId: string;
  readonly eventType: WebhookEventType;
  readonly payload: Record<string, unknown>;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  /** Attempts made before the last replay; the give-up rule counts the ones after. */
  readonly roundStartAttempts: number;
  readonly nextAttemptMs: number;
  readonly firstAttemptMs: number | null;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly deliveredAt: string | null;
}

export interface WebhookAttemptRecord {
  readonly attempt: number;
  readonly at: string;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
}

/** A delivery a worker holds under a lease, with what it needs to send it. */
export interface ClaimedDelivery {
  readonly delivery: WebhookDeliveryRecord;
  /** This attempt's number (the fencing token: recording it fails once another worker took over). */
  readonly attempt: number;
  readonly webhook: { readonly id: string; readonly name: string; readonly url: string; readonly secret: string };
}

export type AttemptOutcome = { readonly status: 'delivered' } | { readonly status: 'pending'; readonly nextAttemptMs: number } | { readonly status: 'failed' };

export interface AttemptLog {
  readonly atMs: number;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
}

export interface DeliveryListOptions {
  readonly status?: WebhookDeliveryStatus;
  readonly webhookId?: string;
  readonly eventType?: WebhookEventType;
  readonly limit?: number;
  /** Keyset paging: deliveries older than this id (the last one of the previous page). */
  readonly before?: string;
}

type StoreDialect = 'sqlite' | 'postgres';
const PayloadSchema = z.record(z.string(), z.unknown());
const LOST_ATTEMPT = 'no result recorded: the worker stopped or its lease ran out';

/**
 * Webhooks, their deliveries (the outbox: one per webhook and event, by a unique key) and the
 * delivery log. A worker claims due deliveries by moving them to `delivering` with a lease; on
 * PostgreSQL the candidates are locked with SKIP LOCKED so workers claiming at once take different
 * rows, on SQLite the one write lock does the same. A claim whose lease ran out (its worker died) is
 * due again; the attempt number taken at claim time fences a late result from the old worker.
 */
export class WebhookRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: StoreDialect = 'sqlite',
    private readonly now: () => number = Date.now,
  ) {}

  async create(hook: NewWebhook, db: Executor = this.db): Promise<WebhookRecord> {
    const at = new Date(this.now()).toISOString();
    const id = newId('wh', this.now());
    try {
      await db
        .insertInto('webhooks')
        .values({ id, project_id: hook.projectId, name: hook.name, url: hook.url, secret: hook.secret, events: toJson(hook.events), active: 1, created_at: at, updated_at: at })
        .execute();
    } catch (e) {
      if (isWriteConflict(e)) throw new EvalOpsError('conflict', `a webhook named "${hook.name}" already exists in this project`);
      throw e;
    }
    return this.get(hook.projectId, id, db);
  }

  async list(projectId: string): Promise<WebhookRecord[]> {
    const rows = await this.db.selectFrom('webhooks').selectAll().where('project_id', '=', projectId).orderBy('name').execute();
    return rows.map(toWebhook);
  }

  /** A webhook of the project by id or name. */
  async get(projectId: string, ref: string, db: Executor = this.db): Promise<WebhookRecord> {
    const row = await db
      .selectFrom('webhooks')
      .selectAll()
      .where('project_id', '=', projectId)
      .where((eb) => eb.or([eb('id', '=', ref), eb('name', '=', ref)]))
      .executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `webhook "${ref}" not found`);
    return toWebhook(row);
  }

  /** Deletes a webhook with its deliveries and their log. */
  async delete(projectId: string, ref: string, db?: Executor): Promise<WebhookRecord> {
    const run = async (trx: Executor): Promise<WebhookRecord> => {
      const hook = await this.get(projectId, ref, trx);
      const deliveries = trx.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', hook.id);
      await trx.deleteFrom('webhook_attempts').where('delivery_id', 'in', deliveries).execute();
      await trx.deleteFrom('webhook_deliveries').where('webhook_id', '=', hook.id).execute();
      await trx.deleteFrom('webhooks').where('id', '=', hook.id).execute();
      return hook;
    };
    if (db?.isTransaction) return run(db);
    return withWriteRetry(() => this.db.transaction().execute(run));
  }

  /** The project's active webhooks subscribed to `type` (or to every event). */
  async subscribed(projectId: string, type: WebhookEventType, db: Executor = this.db): Promise<WebhookRecord[]> {
    const rows = await db.selectFrom('webhooks').selectAll().where('project_id', '=', projectId).where('active', '=', 1).orderBy('id').execute();
    return rows.map(toWebhook).filter((h) => isSubscribed(h.events, type));
  }

  /** Adds pending deliveries, due now; one already there for its webhook and event is left alone. Returns the ids added. */
  async insertDeliveries(projectId: string, deliveries: readonly NewDelivery[], db: Executor = this.db): Promise<string[]> {
    if (deliveries.length === 0) return [];
    const now = this.now();
    const at = new Date(now).toISOString();
    const rows = await db
      .insertInto('webhook_deliveries')
      .values(
        deliveries.map((d) => ({
          id: newId('whd', now),
          project_id: projectId,
          webhook_id: d.webhookId,
          event_id: d.eventId,
          event_type: d.eventType,
          payload: toJson(d.payload),
          status: 'pending',
          attempts: 0,
          round_start_attempts: 0,
          next_attempt_ms: now,
          first_attempt_ms: null,
          last_status_code: null,
          last_error: null,
          created_at: at,
          delivered_at: null,
        })),
      )
      .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * Claims up to `limit` due deliveries (pending and due, or delivering with a lapsed lease), oldest
   * due first: each moves to `delivering` with a lease until `nowMs + leaseMs` and its next attempt
   * number. Two workers never hold the same delivery at once.
   */
  async claimDue(nowMs: number, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.claim(nowMs, leaseMs, { limit });
  }

  /** Claims one delivery if it is due (the synchronous `test` and `replay` paths); undefined when it is not or another worker holds it. */
  async claimOne(deliveryId: string, nowMs: number, leaseMs: number): Promise<ClaimedDelivery | undefined> {
    return (await this.claim(nowMs, leaseMs, { deliveryId }))[0];
  }

  /**
   * Records an attempt in the log and moves its delivery on. Returns false when the claim was lost
   * (another worker took the delivery over, or it was deleted): the log keeps the result, the
   * delivery is not changed.
   */
  async recordAttempt(deliveryId: string, attempt: number, log: AttemptLog, outcome: AttemptOutcome): Promise<boolean> {
    const at = new Date(log.atMs).toISOString();
    return withWriteRetry(() =>
      this.db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('webhook_deliveries')
          .set({
            status: outcome.status,
            last_status_code: log.statusCode,
            last_error: log.error,
            ...(outcome.status === 'pending' ? { next_attempt_ms: outcome.nextAttemptMs } : {}),
            ...(outcome.status === 'delivered' ? { delivered_at: at } : {}),
          })
          .where('id', '=', deliveryId)
          .where('status', '=', 'delivering')
          .where('attempts', '=', attempt)
          .executeTakeFirst();
        const exists = await trx.selectFrom('webhook_deliveries').select('id').where('id', '=', deliveryId).executeTakeFirst();
        if (exists) {
          const row = { delivery_id: deliveryId, attempt, at, status_code: log.statusCode, error: log.error, duration_ms: log.durationMs };
          await trx
            .insertInto('webhook_attempts')
            .values(row)
            .onConflict((oc) => oc.columns(['delivery_id', 'attempt']).doUpdateSet({ at, status_code: log.statusCode, error: log.error, duration_ms: log.durationMs }))
            .execute();
        }
        return Number(updated.numUpdatedRows) === 1;
      }),
    );
  }

  /** Deliveries of a project, newest first. */
  async listDeliveries(projectId: string, options: DeliveryListOptions = {}): Promise<WebhookDeliveryRecord[]> {
    const rows = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('project_id', '=', projectId)
      .$if(options.status !== undefined, (q) => q.where('status', '=', options.status as string))
      .$if(options.webhookId !== undefined, (q) => q.where('webhook_id', '=', options.webhookId as string))
      .$if(options.eventType !== undefined, (q) => q.where('event_type', '=', options.eventType as string))
      .$if(options.before !== undefined, (q) => q.where('id', '<', options.before as string))
      .orderBy('id', 'desc')
      .limit(options.limit ?? 50)
      .execute();
    return rows.map(toDelivery);
  }

  async getDelivery(projectId: string, id: string, db: Executor = this.db): Promise<WebhookDeliveryRecord> {
    const row = await db.selectFrom('webhook_deliveries').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `webhook delivery ${id} not found`);
    return toDelivery(row);
  }

  /** A delivery of any project, by id (workers, which are not scoped to a project). */
  async delivery(id: string): Promise<WebhookDeliveryRecord> {
    const row = await this.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `webhook delivery ${id} not found`);
    return toDelivery(row);
  }

  /** The delivery log of one delivery, in attempt order. */
  async attempts(deliveryId: string): Promise<WebhookAttemptRecord[]> {
    const rows = await this.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('attempt').execute();
    return rows.map((r) => ({ attempt: Number(r.attempt), at: r.at, statusCode: r.status_code === null ? null : Number(r.status_code), error: r.error, durationMs: Number(r.duration_ms) }));
  }

  /**
   * Puts a failed or delivered delivery back to pending, due at `nowMs`, with a fresh give-up window;
   * its log and attempt count stay (new attempts go on numbering). A delivery still pending or being
   * delivered is a conflict.
   */
  async resetForReplay(projectId: string, id: string, nowMs: number, db: Executor = this.db): Promise<{ delivery: WebhookDeliveryRecord; previous: WebhookDeliveryStatus }> {
    const current = await this.getDelivery(projectId, id, db);
    if (current.status !== 'failed' && current.status !== 'delivered') {
      throw new EvalOpsError('conflict', `webhook delivery ${id} is ${current.status}; only a failed or delivered delivery can be replayed`);
    }
    const updated = await db
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', next_attempt_ms: nowMs, first_attempt_ms: null, round_start_attempts: current.attempts, delivered_at: null })
      .where('id', '=', id)
      .where('status', '=', current.status)
      .where('attempts', '=', current.attempts)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new EvalOpsError('conflict', `webhook delivery ${id} changed while being replayed; try again`, { retryable: true });
    return { delivery: await this.getDelivery(projectId, id, db), previous: current.status };
  }

  private async claim(nowMs: number, leaseMs: number, which: { readonly deliveryId: string } | { readonly limit: number }): Promise<ClaimedDelivery[]> {
    return withWriteRetry(() =>
      this.db.transaction().execute(async (trx) => {
        let candidates = trx
          .selectFrom('webhook_deliveries')
          .select('id')
          .where('status', 'in', ['pending', 'delivering'])
          .where('next_attempt_ms', '<=', nowMs)
          .$if('deliveryId' in which, (q) => q.where('id', '=', (which as { deliveryId: string }).deliveryId))
          .$if('limit' in which, (q) => q.orderBy('next_attempt_ms').limit((which as { limit: number }).limit));
        if (this.dialect === 'postgres') {
          // Locked in a statement of its own: as a subquery of the UPDATE, PostgreSQL may rescan a
          // LIMIT … FOR UPDATE SKIP LOCKED once per outer row and so claim more rows than the limit.
          const ids = (await candidates.forUpdate().skipLocked().execute()).map((r) => r.id);
          if (ids.length === 0) return [];
          candidates = trx.selectFrom('webhook_deliveries').select('id').where('id', 'in', ids);
        }
        const rows = await trx
          .updateTable('webhook_deliveries')
          .set((eb) => ({
            status: 'delivering',
            attempts: eb('attempts', '+', 1),
            next_attempt_ms: nowMs + leaseMs,
            first_attempt_ms: sql<number>`coalesce(first_attempt_ms, ${nowMs})`,
          }))
          .where('id', 'in', candidates)
          // Checked again on the row being updated: a claim that won a race has moved the lease out.
          .where('status', 'in', ['pending', 'delivering'])
          .where('next_attempt_ms', '<=', nowMs)
          .returningAll()
          .execute();
        if (rows.length === 0) return [];
        const hookIds = [...new Set(rows.map((r) => r.webhook_id))];
        const hooks = new Map((await trx.selectFrom('webhooks').select(['id', 'name', 'url', 'secret']).where('id', 'in', hookIds).execute()).map((h) => [h.id, h]));
        // The previous attempt has a line in the log unless its worker never reported (it died, or its
        // lease lapsed): then it gets one saying so, and a late report from that worker overwrites it.
        const retried = rows.filter((r) => Number(r.attempts) > 1);
        if (retried.length > 0) {
          const at = new Date(nowMs).toISOString();
          await trx
            .insertInto('webhook_attempts')
            .values(retried.map((r) => ({ delivery_id: r.id, attempt: Number(r.attempts) - 1, at, status_code: null, error: LOST_ATTEMPT, duration_ms: 0 })))
            .onConflict((oc) => oc.columns(['delivery_id', 'attempt']).doNothing())
            .execute();
        }
        return rows.map((r) => {
          const hook = hooks.get(r.webhook_id);
          if (!hook) throw new EvalOpsError('internal', `webhook ${r.webhook_id} of delivery ${r.id} is missing`);
          return { delivery: toDelivery(r), attempt: Number(r.attempts), webhook: hook };
        });
      }),
    );
  }
}

function toWebhook(r: Database['webhooks']): WebhookRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    name: r.name,
    url: r.url,
    events: fromJson(r.events, WebhookEventsSchema, `webhook ${r.id} events`),
    active: Number(r.active) === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toDelivery(r: Database['webhook_deliveries']): WebhookDeliveryRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    webhookId: r.webhook_id,
    eventId: r.event_id,
    eventType: WebhookEventTypeSchema.parse(r.event_type),
    payload: fromJson(r.payload, PayloadSchema, `webhook delivery ${r.id} payload`),
    status: WebhookDeliveryStatusSchema.parse(r.status),
    attempts: Number(r.attempts),
    roundStartAttempts: Number(r.round_start_attempts),
    nextAttemptMs: Number(r.next_attempt_ms),
    firstAttemptMs: r.first_attempt_ms === null ? null : Number(r.first_attempt_ms),
    lastStatusCode: r.last_status_code === null ? null : Number(r.last_status_code),
    lastError: r.last_error,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  };
}
