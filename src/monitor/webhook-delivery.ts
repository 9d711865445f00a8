import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import { webhookRetryDecision, type WebhookRetryPolicy } from '../core/monitor/webhook-backoff.js';
import { signWebhook } from '../core/monitor/webhook-signature.js';
import type { Store } from '../store/store.js';
import type { AttemptOutcome, ClaimedDelivery, WebhookDeliveryRecord } from '../store/webhook-repository.js';
import { assertHostAllowed, GUARDED, guardedLookup, WebhookTargetRefused, type WebhookTargetPolicy } from './webhook-target-guard.js';

/**
 * Sending webhook deliveries: claim what is due, POST each signed, record the attempt in the log,
 * and schedule the retry (or give up) by the backoff of core/monitor/webhook-backoff.ts. Failures of
 * a receiver are outcomes recorded in the log, never thrown; only the store failing throws. Targets
 * pass the SSRF guard of webhook-target-guard.ts: a refused target is never connected to, so its
 * log entry holds the refusal and nothing of what the address would have answered.
 */

export interface DeliverOptions {
  /** The clock of scheduling and signing (a test drives it). Durations are measured on the real clock. */
  readonly now?: () => number;
  /** Which targets may be reached (default: public addresses only, resolved by the system). */
  readonly targets?: WebhookTargetPolicy;
  /** Deliveries claimed (and sent at once) per pass. */
  readonly limit?: number;
  /** How long a receiver has to answer. */
  readonly timeoutMs?: number;
  readonly retry?: Partial<WebhookRetryPolicy>;
}

export interface DeliverCounts {
  readonly delivered: number;
  readonly retried: number;
  readonly failed: number;
}

export const USER_AGENT = 'evalops-webhooks/1';
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_LIMIT = 20;
const SNIPPET_CHARS = 300;

/**
 * One delivery pass: claims up to `limit` due deliveries and sends them. The background worker
 * calls this every second or so; several workers may run it at once.
 * @example await deliverDueWebhooks(store, { now: Date.now }) // { delivered: 2, retried: 1, failed: 0 }
 */
export async function deliverDueWebhooks(store: Store, options: DeliverOptions = {}): Promise<DeliverCounts> {
  const now = options.now ?? Date.now;
  const claims = await store.webhooks.claimDue(now(), options.limit ?? DEFAULT_LIMIT, leaseMs(options));
  const projects = new Map<string, Promise<string>>();
  const outcomes = await Promise.all(claims.map((c) => attempt(store, c, options, projects)));
  return {
    delivered: outcomes.filter((o) => o === 'delivered').length,
    retried: outcomes.filter((o) => o === 'pending').length,
    failed: outcomes.filter((o) => o === 'failed').length,
  };
}

/**
 * Sends one delivery now, if it is due, and answers with it afterwards (the `test` and `replay`
 * operations). When another worker holds it, waits for that worker's attempt to end.
 */
export async function deliverWebhookNow(store: Store, deliveryId: string, options: DeliverOptions = {}): Promise<WebhookDeliveryRecord> {
  const now = options.now ?? Date.now;
  const claim = await store.webhooks.claimOne(deliveryId, now(), leaseMs(options));
  if (claim) {
    await attempt(store, claim, options, new Map());
    return store.webhooks.delivery(deliveryId);
  }
  const deadline = performance.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS) + 2_000;
  for (;;) {
    const current = await store.webhooks.delivery(deliveryId);
    if (current.status !== 'delivering' || performance.now() > deadline) return current;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The body every receiver gets; the same on every attempt of a delivery (only the signature's timestamp changes). */
export function deliveryBody(d: WebhookDeliveryRecord, project: string): string {
  return JSON.stringify({ id: d.id, eventId: d.eventId, type: d.eventType, createdAt: d.createdAt, project, data: d.payload });
}

async function attempt(store: Store, claim: ClaimedDelivery, options: DeliverOptions, projects: Map<string, Promise<string>>): Promise<AttemptOutcome['status'] | 'lost'> {
  const now = options.now ?? Date.now;
  const { delivery, webhook } = claim;
  let project = projects.get(delivery.projectId);
  if (!project) {
    project = store.projects.findById(delivery.projectId).then((p) => p?.name ?? delivery.projectId);
    projects.set(delivery.projectId, project);
  }
  const body = deliveryBody(delivery, await project);
  const result = await post(webhook.url, body, {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'evalops-event': delivery.eventType,
    'evalops-delivery': delivery.id,
    'evalops-signature': signWebhook(webhook.secret, Math.floor(now() / 1000), body),
  }, options);
  const atMs = now();
  let outcome: AttemptOutcome;
  if (result.ok) {
    outcome = { status: 'delivered' };
  } else {
    const decision = webhookRetryDecision(
      { attempts: claim.attempt - delivery.roundStartAttempts, firstAttemptMs: delivery.firstAttemptMs ?? atMs, nowMs: atMs, jitterSeed: delivery.id },
      options.retry,
    );
    outcome = decision.kind === 'retry' ? { status: 'pending', nextAttemptMs: decision.nextAttemptMs } : { status: 'failed' };
  }
  const error = result.ok ? null : outcome.status === 'failed' ? `${result.error}; gave up` : result.error;
  const recorded = await store.webhooks.recordAttempt(delivery.id, claim.attempt, { atMs, statusCode: result.statusCode, error, durationMs: result.durationMs }, outcome);
  return recorded ? outcome.status : 'lost';
}

type PostResult = { ok: true; statusCode: number; durationMs: number } | { ok: false; statusCode: number | null; error: string; durationMs: number };

/**
 * One POST over node:http(s), its socket connected to the address the guard checked (the lookup is
 * the guard's); every way it can fail becomes a value with a short reason. Redirects are not
 * followed (a 3xx is a failure), so a public receiver cannot bounce the request inwards.
 */
async function post(url: string, body: string, headers: Record<string, string>, options: DeliverOptions): Promise<PostResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  try {
    const res = await send(new URL(url), body, headers, options.targets ?? GUARDED, timeoutMs);
    if (res.status >= 200 && res.status < 300) return { ok: true, statusCode: res.status, durationMs: elapsed() };
    return { ok: false, statusCode: res.status, error: `HTTP ${res.status}${res.snippet ? `: ${res.snippet}` : ''}`, durationMs: elapsed() };
  } catch (e) {
    return { ok: false, statusCode: null, error: e instanceof WebhookTargetRefused ? e.message : failureText(e, timeoutMs), durationMs: elapsed() };
  }
}

function send(target: URL, body: string, headers: Record<string, string>, policy: WebhookTargetPolicy, timeoutMs: number): Promise<{ status: number; snippet: string }> {
  // node:net skips the lookup for an IP literal, so literals are checked here, before any socket.
  assertHostAllowed(target.hostname, policy);
  return new Promise((resolve, reject) => {
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(target, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: guardedLookup(policy), agent: false });
    const timer = setTimeout(() => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.on('response', (res: IncomingMessage) => {
      let text = '';
      const done = (): void => {
        clearTimeout(timer);
        res.destroy();
        resolve({ status: res.statusCode ?? 0, snippet: text.slice(0, SNIPPET_CHARS).replace(/\s+/g, ' ').trim() });
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (text.length >= SNIPPET_CHARS) done();
      });
      res.on('end', done);
      res.on('error', done);
    });
    req.end(body);
  });
}

function failureText(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; code?: string; errors?: { code?: string }[] };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const code = err?.code ?? err?.errors?.[0]?.code;
  return `request failed: ${code ?? err?.message ?? String(e)}`;
}

/** A claim outlives the slowest attempt by a margin, so a live worker never loses its claim. */
function leaseMs(options: DeliverOptions): number {
  return (options.timeoutMs ?? DEFAULT_TIMEOUT_MS) + 60_000;
}
