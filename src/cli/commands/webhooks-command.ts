import type { z } from 'zod';
import type { ApiCaller } from '../../api/api-caller.js';
import { createWebhook, deleteWebhook, getWebhookDelivery, listWebhookDeliveries, listWebhooks, replayWebhookDelivery, testWebhook } from '../../api/webhook-operations.js';
import { EvalOpsError } from '../../core/errors.js';
import { WebhookDeliveryStatusSchema, WebhookEventTypeSchema, WebhookNameSchema, WebhookSecretSchema, WebhookSubscriptionSchema, WebhookUrlSchema, type WebhookSubscription } from '../../core/monitor/webhook-event.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, projectFor, type RemoteFlags } from '../open-api-caller.js';
import { parseIntFlag } from '../parse-flags.js';
import { renderTable } from '../render-table.js';

/** `evalops webhooks create|list|delete|test|deliveries|delivery|replay`. Thin: parse flags, call one operation, print. */

export interface WebhookFlags extends RemoteFlags {
  config?: string;
  project?: string;
  json?: boolean;
}

/** A receiver that did not take the delivery: like an unreachable target (DESIGN.md §5). */
const NOT_DELIVERED_EXIT = 4;

async function withApi(flags: WebhookFlags, body: (api: ApiCaller, project: string) => Promise<number | void>): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const api = await openApiCaller(flags);
    try {
      return await body(api, await projectFor(api, flags));
    } finally {
      await api.close();
    }
  });
}

function flag<T>(schema: z.ZodType<T>, value: string | undefined, name: string): T | undefined {
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new EvalOpsError('usage', `${name}: ${parsed.error.issues[0]?.message ?? 'invalid'} (got "${value}")`);
  return parsed.data;
}

function eventsFlag(value: string | undefined): WebhookSubscription[] | undefined {
  if (value === undefined) return undefined;
  const events = value.split(',').map((e) => e.trim()).filter((e) => e !== '');
  if (events.length === 0) throw new EvalOpsError('usage', '--events: give at least one event type, or *');
  return events.map((e) => {
    const parsed = WebhookSubscriptionSchema.safeParse(e);
    if (!parsed.success) throw new EvalOpsError('usage', `--events: unknown event type "${e}" (one of: ${WebhookEventTypeSchema.options.join(', ')}, or *)`);
    return parsed.data;
  });
}

export async function webhooksCreateCommand(flags: WebhookFlags & { url: string; name?: string; events?: string; secret?: string }): Promise<void> {
  await withApi(flags, async (api, project) => {
    const url = flag(WebhookUrlSchema, flags.url, '--url') as string;
    const name = flag(WebhookNameSchema, flags.name, '--name');
    const secret = flag(WebhookSecretSchema, flags.secret, '--secret');
    const events = eventsFlag(flags.events);
    const created = await api.call(createWebhook, { params: { project }, body: { url, ...(name ? { name } : {}), ...(events ? { events } : {}), ...(secret ? { secret } : {}) } });
    if (flags.json) return printJson(created);
    process.stdout.write(`webhook ${created.name} (${created.id}) → ${created.url}\nevents: ${created.events.join(', ')}\nsigning secret (shown once, store it now): ${created.secret}\n`);
  });
}

export async function webhooksListCommand(flags: WebhookFlags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const res = await api.call(listWebhooks, { params: { project } });
    if (flags.json) return printJson(res);
    if (res.webhooks.length === 0) return void process.stdout.write(`no webhooks in project "${project}"; add one with \`evalops webhooks create --url URL\`\n`);
    process.stdout.write(`${renderTable(['name', 'id', 'url', 'events', 'active'], res.webhooks.map((h) => [h.name, h.id, h.url, h.events.join(','), h.active ? 'yes' : 'no']))}\n`);
  });
}

export async function webhooksDeleteCommand(webhook: string, flags: WebhookFlags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const res = await api.call(deleteWebhook, { params: { project, webhook } });
    if (flags.json) return printJson(res);
    process.stdout.write(`deleted webhook ${res.deleted.name} (${res.deleted.id}) and its deliveries\n`);
  });
}

type Sent = { delivered: boolean; delivery: { id: string; status: string; lastStatusCode: number | null; lastError: string | null; nextAttemptAt: string | null } };

function printSent(what: string, res: Sent): number {
  const d = res.delivery;
  if (res.delivered) process.stdout.write(`${what} delivered (${d.id}): HTTP ${d.lastStatusCode}\n`);
  else process.stdout.write(`${what} not delivered (${d.id}): ${d.lastError ?? d.status}${d.nextAttemptAt ? `; retried at ${d.nextAttemptAt}` : ''}\n`);
  return res.delivered ? 0 : NOT_DELIVERED_EXIT;
}

export async function webhooksTestCommand(webhook: string, flags: WebhookFlags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const res = await api.call(testWebhook, { params: { project, webhook } });
    if (flags.json) {
      printJson(res);
      return res.delivered ? 0 : NOT_DELIVERED_EXIT;
    }
    return printSent('ping', res);
  });
}

export async function webhooksReplayCommand(delivery: string, flags: WebhookFlags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const res = await api.call(replayWebhookDelivery, { params: { project, delivery } });
    if (flags.json) {
      printJson(res);
      return res.delivered ? 0 : NOT_DELIVERED_EXIT;
    }
    return printSent('replay', res);
  });
}

export async function webhooksDeliveriesCommand(flags: WebhookFlags & { status?: string; webhook?: string; event?: string; limit?: string; cursor?: string }): Promise<void> {
  await withApi(flags, async (api, project) => {
    const status = flag(WebhookDeliveryStatusSchema, flags.status, '--status');
    const event = flag(WebhookEventTypeSchema, flags.event, '--event');
    const limit = parseIntFlag(flags.limit, '--limit', 1, 500);
    const query = { ...(status ? { status } : {}), ...(event ? { event } : {}), ...(flags.webhook ? { webhook: flags.webhook } : {}), ...(limit ? { limit } : {}), ...(flags.cursor ? { cursor: flags.cursor } : {}) };
    const res = await api.call(listWebhookDeliveries, { params: { project }, query });
    if (flags.json) return printJson(res);
    if (res.deliveries.length === 0) return void process.stdout.write('no deliveries\n');
    process.stdout.write(
      `${renderTable(
        ['delivery', 'event', 'status', 'attempts', 'last', 'created', 'next attempt'],
        res.deliveries.map((d) => [d.id, d.eventType, d.status, String(d.attempts), d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? '—'), d.createdAt, d.nextAttemptAt ?? '—']),
        new Set([3]),
      )}\n`,
    );
    if (res.nextCursor) process.stdout.write(`more: --cursor ${res.nextCursor}\n`);
  });
}

export async function webhooksDeliveryCommand(delivery: string, flags: WebhookFlags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const d = await api.call(getWebhookDelivery, { params: { project, delivery } });
    if (flags.json) return printJson(d);
    process.stdout.write(`${d.id} ${d.eventType} (event ${d.eventId}) to webhook ${d.webhookId}: ${d.status} after ${d.attempts} attempt(s)${d.nextAttemptAt ? `, next at ${d.nextAttemptAt}` : ''}\n`);
    if (d.log.length > 0) {
      process.stdout.write(`\n${renderTable(['attempt', 'at', 'status', 'ms', 'error'], d.log.map((a) => [String(a.attempt), a.at, a.statusCode === null ? '—' : String(a.statusCode), String(Math.round(a.durationMs)), a.error ?? '']), new Set([0, 3]))}\n`);
    }
    process.stdout.write(`\npayload: ${JSON.stringify(d.payload)}\n`);
  });
}
