import { z } from 'zod';
import { WebhookDeliveryStatusSchema, WebhookEventsSchema, WebhookEventTypeSchema, WebhookNameSchema, WebhookSecretSchema, WebhookUrlSchema } from '../core/monitor/webhook-event.js';
import { createWebhook as create, deleteWebhook as remove, deliverWebhookNow, GUARDED, replayWebhookDelivery as replay, testWebhook as ping } from '../monitor/webhook-service.js';
import type { WebhookAttemptRecord, WebhookDeliveryRecord, WebhookRecord } from '../store/webhook-repository.js';
import { limitQuery, ProjectParams } from './api-schemas.js';
import { defineOperation } from './operation.js';
import { projectId } from './project-id.js';

/**
 * Outgoing webhooks: create (the secret is answered once), list, delete, a signed test ping, the
 * delivery log, and replay. `evalops webhooks …`. All of it needs `webhooks:manage` (owner): a
 * webhook sends project events to any URL.
 */

const WebhookParams = ProjectParams.extend({ webhook: z.string().min(1).max(200).describe('webhook name or id') });
const DeliveryParams = ProjectParams.extend({ delivery: z.string().min(1).max(200).describe('delivery id (whd_…)') });

const WebhookViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  events: z.array(z.string()).describe('event types, or ["*"] for every event'),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const DeliveryViewSchema = z.object({
  id: z.string(),
  webhookId: z.string(),
  eventId: z.string(),
  eventType: WebhookEventTypeSchema,
  status: WebhookDeliveryStatusSchema,
  attempts: z.number().int().describe('attempts made, over every replay'),
  nextAttemptAt: z.string().nullable().describe('pending: when the next attempt is due'),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});

const AttemptViewSchema = z.object({ attempt: z.number().int(), at: z.string(), statusCode: z.number().int().nullable(), error: z.string().nullable(), durationMs: z.number() });

const SentSchema = z.object({ delivered: z.boolean().describe('the receiver answered 2xx'), delivery: DeliveryViewSchema });

function webhookView(h: WebhookRecord): z.infer<typeof WebhookViewSchema> {
  return { id: h.id, name: h.name, url: h.url, events: [...h.events], active: h.active, createdAt: h.createdAt, updatedAt: h.updatedAt };
}

function deliveryView(d: WebhookDeliveryRecord): z.infer<typeof DeliveryViewSchema> {
  return {
    id: d.id,
    webhookId: d.webhookId,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? new Date(d.nextAttemptMs).toISOString() : null,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    createdAt: d.createdAt,
    deliveredAt: d.deliveredAt,
  };
}

function attemptView(a: WebhookAttemptRecord): z.infer<typeof AttemptViewSchema> {
  return { attempt: a.attempt, at: a.at, statusCode: a.statusCode, error: a.error, durationMs: a.durationMs };
}

export const createWebhook = defineOperation({
  id: 'createWebhook',
  method: 'post',
  path: '/projects/{project}/webhooks',
  summary: 'Creates a webhook: events POSTed as signed JSON to an http(s) URL. The answer carries the signing secret, shown only here',
  tags: ['webhooks'],
  permission: 'webhooks:manage',
  params: ProjectParams,
  body: z.strictObject({
    url: WebhookUrlSchema.describe('an http(s) URL; loopback, private, link-local and metadata addresses are refused (400) unless the server runs with --allow-private-webhooks'),
    name: WebhookNameSchema.optional().describe("unique in the project; default: the URL's host"),
    events: WebhookEventsSchema.optional().describe(`event types (${WebhookEventTypeSchema.options.join(', ')}) or "*"; default every event`),
    secret: WebhookSecretSchema.optional().describe('signing secret; default: a generated whsec_… secret'),
  }),
  response: WebhookViewSchema.extend({ secret: z.string().describe('the signing secret: store it now, it is not shown again') }),
  status: 201,
  async handle(ctx, { params, body }) {
    const project = await ctx.store.projects.ensure(params.project);
    const { webhook, secret } = await create(ctx.store, project.id, body, ctx.actor(), ctx.webhookTargets ?? GUARDED);
    return { ...webhookView(webhook), secret };
  },
});

export const listWebhooks = defineOperation({
  id: 'listWebhooks',
  method: 'get',
  path: '/projects/{project}/webhooks',
  summary: 'Webhooks of a project (never their secrets)',
  tags: ['webhooks'],
  permission: 'webhooks:manage',
  params: ProjectParams,
  response: z.object({ project: z.string(), webhooks: z.array(WebhookViewSchema) }),
  async handle(ctx, { params }) {
    const hooks = await ctx.store.webhooks.list(await projectId(ctx.store, params.project));
    return { project: params.project, webhooks: hooks.map(webhookView) };
  },
});

export const deleteWebhook = defineOperation({
  id: 'deleteWebhook',
  method: 'delete',
  path: '/projects/{project}/webhooks/{webhook}',
  summary: 'Deletes a webhook with its deliveries and their log',
  tags: ['webhooks'],
  permission: 'webhooks:manage',
  params: WebhookParams,
  response: z.object({ deleted: WebhookViewSchema }),
  async handle(ctx, { params }) {
    return { deleted: webhookView(await remove(ctx.store, await projectId(ctx.store, params.project), params.webhook, ctx.actor())) };
  },
});

export const testWebhook = defineOperation({
  id: 'testWebhook',
  method: 'post',
  path: '/projects/{project}/webhooks/{webhook}/test',
  summary: 'Sends a signed ping event to one webhook now and answers with the outcome (a failed ping is retried like any delivery)',
  tags: ['webhooks'],
  permission: 'webhooks:manage',
  params: WebhookParams,
  response: SentSchema,
  async handle(ctx, { params }) {
    const delivery = await ping(ctx.store, await projectId(ctx.store, params.project), params.webhook, { targets: ctx.webhookTargets ?? GUARDED });
    return { delivered: delivery.status === 'delivered', delivery: deliveryView(delivery) };
  },
});

export const listWebhookDeliveries = defineOperation({
  id: 'listWebhookDeliveries',
  method: 'get',
  path: '/projects/{project}/webhook-deliveries',
  summary: 'Webhook deliveries, newest first, by status, webhook and event type, a page at a time (cursor)',
  tags: ['webhooks'],
  permission: 'webhooks:manage',
  params: ProjectParams,
  query: z.object({
    status: WebhookDeliveryStatusSchema.optional(),
    webhook: z.string().min(1).max(200).optional().describe('webhook name or id'),
    event: WebhookEventTypeSchema.optional(),
    limit: limitQuery(50, 500),
    cursor: z.string().regex(/^whd_[0-9a-z]+$/, 'a delivery id (nextCursor of the previous page)').optional(),
  }),
  response: z.object({ project: z.string(), deliveries: z.array(DeliveryViewSchema), nextCursor: z.string().optional().describe('the next page: pass it as `cursor`; absent on the last page') }),
  async handle(ctx, { params, query }) {
    const id = await projectId(ctx.store, params.project);
    const webhookId = query.webhook === undefined ? undefined : (await ctx.store.webhooks.get(id, query.webhook)).id;
    const deliveries = await ctx.store.webhooks.listDeliveries(id, {
      limit: query.limit,
      ...(query.status ? { status: query.status } : {}),
      ...(webhookId ? { webhookId } : {}),
      ...(query.event ? { eventType: query.event } : {}),
      ...(query.cursor ? { before: query.cursor } : {}),
    });
    const last = deliveries.length === query.limit ? deliveries[deliveries.length - 1] : undefined;
    return { project: params.project, deliveries: deliveries.map(deliveryView), ...(last ? { nextCursor: last.id } : {}) };
  },
});

export const getWebhookDelivery = defineOperation({
  id: 'getWebhookDelivery',
  method: 'get',
  path: '/projects/{project}/webhook-deliveries/{delivery}',
  summary: 'One delivery with its payload and the log of every attempt',
  tags: ['webhooks'],
  permission: 'webhooks:manage',
  params: DeliveryParams,
  response: DeliveryViewSchema.extend({ payload: z.record(z.string(), z.unknown()), log: z.array(AttemptViewSchema) }),
  async handle(ctx, { params }) {
    const delivery = await ctx.store.webhooks.getDelivery(await projectId(ctx.store, params.project), params.delivery);
    return { ...deliveryView(delivery), payload: delivery.payload, log: (await ctx.store.webhooks.attempts(delivery.id)).map(attemptView) };
  },
});

export const replayWebhookDelivery = defineOperation({
  id: 'replayWebhookDelivery',
  method: 'post',
  path: '/projects/{project}/webhook-deliveries/{delivery}/replay',
  summary: 'Sends a failed (or delivered) delivery again now, same delivery and event id; its log continues. Audited',
  tags: ['webhooks'],
  permission: 'webhooks:manage',
  params: DeliveryParams,
  response: SentSchema,
  async handle(ctx, { params }) {
    const reset = await replay(ctx.store, await projectId(ctx.store, params.project), params.delivery, ctx.actor());
    const delivery = await deliverWebhookNow(ctx.store, reset.id, { targets: ctx.webhookTargets ?? GUARDED });
    return { delivered: delivery.status === 'delivered', delivery: deliveryView(delivery) };
  },
});
