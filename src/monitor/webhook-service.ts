import { randomBytes } from 'node:crypto';
import { EvalOpsError } from '../core/errors.js';
import { urlOrigin, WebhookEventTypeSchema, type WebhookEventType, type WebhookSubscription } from '../core/monitor/webhook-event.js';
import { withWriteRetry, type Executor } from '../store/audit-repository.js';
import { newId } from '../store/ids.js';
import type { Store } from '../store/store.js';
import type { WebhookDeliveryRecord, WebhookRecord } from '../store/webhook-repository.js';
import { deliverDueWebhooks, deliverWebhookNow, type DeliverCounts, type DeliverOptions } from './webhook-delivery.js';
import { checkWebhookTarget, GUARDED, WebhookTargetRefused, type WebhookTargetPolicy } from './webhook-target-guard.js';

/**
 * Outgoing webhooks (DESIGN.md §7): emitting an event into the outbox, managing a project's
 * webhooks (audited, secrets generated here and shown once), the `test` ping, and replay. Sending
 * lives in webhook-delivery.ts; its two entry points are re-exported here.
 */

export { deliverDueWebhooks, deliverWebhookNow, GUARDED, WebhookEventTypeSchema };
export type { DeliverCounts, DeliverOptions, WebhookEventType, WebhookTargetPolicy };

export interface WebhookEvent {
  /** Stable id of the event (e.g. `<alert id>:opened`): emitting it again adds no delivery. */
  readonly id: string;
  readonly type: WebhookEventType;
  readonly payload: Record<string, unknown>;
}

/**
 * Queues one pending delivery of `event` per active webhook of the project subscribed to its type
 * (or to `*`). Pass the caller's transaction as `db` so the deliveries commit with the change they
 * announce (the outbox pattern); a worker sends them after the commit. Returns the deliveries added.
 * @example await emitWebhookEvent(store, projectId, { id: `${alert.id}:opened`, type: 'alert.opened', payload }, trx)
 */
export async function emitWebhookEvent(store: Store, projectId: string, event: WebhookEvent, db?: Executor): Promise<number> {
  const type = WebhookEventTypeSchema.parse(event.type);
  const hooks = await store.webhooks.subscribed(projectId, type, db ?? store.db);
  const ids = await store.webhooks.insertDeliveries(projectId, hooks.map((h) => ({ webhookId: h.id, eventId: event.id, eventType: type, payload: event.payload })), db ?? store.db);
  return ids.length;
}

export interface CreateWebhookInput {
  /** Default: the URL's host name. */
  readonly name?: string | undefined;
  readonly url: string;
  /** Default: every event. */
  readonly events?: readonly WebhookSubscription[] | undefined;
  /** Default: a generated `whsec_…` secret. */
  readonly secret?: string | undefined;
}

/**
 * Creates a webhook and returns it with its secret; the secret is never shown again. Audited as
 * `webhook.change` with the URL's origin only (a path or query may hold a token) and no secret.
 * A URL whose host is, or resolves to, a loopback, private, link-local or metadata address is
 * refused (`input`) unless `targets` allows private addresses; deliveries check again.
 */
export async function createWebhook(store: Store, projectId: string, input: CreateWebhookInput, actor: string, targets: WebhookTargetPolicy = GUARDED): Promise<{ webhook: WebhookRecord; secret: string }> {
  try {
    await checkWebhookTarget(input.url, targets);
  } catch (e) {
    if (e instanceof WebhookTargetRefused) throw new EvalOpsError('input', `body field url: ${e.message}`);
    throw e;
  }
  const secret = input.secret ?? `whsec_${randomBytes(32).toString('base64url')}`;
  const name = input.name ?? new URL(input.url).hostname;
  const events = input.events && input.events.length > 0 ? [...input.events] : (['*'] as WebhookSubscription[]);
  const webhook = await withWriteRetry(() =>
    store.db.transaction().execute(async (trx) => {
      const created = await store.webhooks.create({ projectId, name, url: input.url, secret, events }, trx);
      await store.audit.append(projectId, { actor, action: 'webhook.change', entityType: 'webhook', entityId: created.id, payload: { change: 'create', name, origin: urlOrigin(input.url), events } }, trx);
      return created;
    }),
  );
  return { webhook, secret };
}

/** Deletes a webhook (by id or name) with its deliveries and their log; audited as `webhook.change`. */
export async function deleteWebhook(store: Store, projectId: string, ref: string, actor: string): Promise<WebhookRecord> {
  return withWriteRetry(() =>
    store.db.transaction().execute(async (trx) => {
      const deleted = await store.webhooks.delete(projectId, ref, trx);
      await store.audit.append(projectId, { actor, action: 'webhook.change', entityType: 'webhook', entityId: deleted.id, payload: { change: 'delete', name: deleted.name, origin: urlOrigin(deleted.url) } }, trx);
      return deleted;
    }),
  );
}

/**
 * Sends a `ping` to one webhook (whatever it subscribes to, active or not) and answers with the
 * delivery after the attempt: `delivered`, or `pending` with the error and the retry scheduled.
 */
export async function testWebhook(store: Store, projectId: string, ref: string, options: DeliverOptions = {}): Promise<WebhookDeliveryRecord> {
  const hook = await store.webhooks.get(projectId, ref);
  const [id] = await store.webhooks.insertDeliveries(projectId, [{ webhookId: hook.id, eventId: newId('ping'), eventType: 'ping', payload: { webhook: hook.name, message: 'a test delivery from EvalOps' } }]);
  if (id === undefined) throw new EvalOpsError('internal', 'the ping delivery was not stored');
  return deliverWebhookNow(store, id, options);
}

/**
 * Puts a failed (or delivered) delivery back to pending, due now, with a fresh give-up window. Its
 * log stays and new attempts go on numbering; the body keeps its delivery id and event id, so a
 * receiver that deduplicates by them sees the same delivery. Audited as `webhook.replay`.
 */
export async function replayWebhookDelivery(store: Store, projectId: string, deliveryId: string, actor: string, now: () => number = Date.now): Promise<WebhookDeliveryRecord> {
  return withWriteRetry(() =>
    store.db.transaction().execute(async (trx) => {
      const { delivery, previous } = await store.webhooks.resetForReplay(projectId, deliveryId, now(), trx);
      await store.audit.append(
        projectId,
        { actor, action: 'webhook.replay', entityType: 'webhook_delivery', entityId: delivery.id, payload: { webhookId: delivery.webhookId, eventId: delivery.eventId, eventType: delivery.eventType, previousStatus: previous, attempts: delivery.attempts } },
        trx,
      );
      return delivery;
    }),
  );
}
