import { z } from 'zod';

/**
 * What a webhook can be told about, and how a webhook is described. Pure: the store reads stored
 * subscriptions back through these schemas and the API validates requests with them.
 */

export const WebhookEventTypeSchema = z.enum(['alert.opened', 'alert.acknowledged', 'alert.resolved', 'release.rollback', 'release.narrowed', 'budget.exhausted', 'ping']);
export type WebhookEventType = z.infer<typeof WebhookEventTypeSchema>;

/** A subscription: event types, or `*` for every event. */
export const WebhookSubscriptionSchema = z.union([WebhookEventTypeSchema, z.literal('*')]);
export type WebhookSubscription = z.infer<typeof WebhookSubscriptionSchema>;

export const WebhookEventsSchema = z
  .array(WebhookSubscriptionSchema)
  .min(1)
  .max(20)
  .transform((events) => (events.includes('*') ? (['*'] as WebhookSubscription[]) : [...new Set(events)]));

/** An http(s) URL without credentials in it (they would end up in logs). */
export const WebhookUrlSchema = z
  .string()
  .max(2000)
  .superRefine((u, ctx) => {
    const url = URL.canParse(u) ? new URL(u) : undefined;
    const problem = !url ? 'not a URL' : !/^https?:$/.test(url.protocol) ? 'must be an http:// or https:// URL' : url.username !== '' || url.password !== '' ? 'must not carry a user name or password' : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const WebhookNameSchema = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits, . _ : - (starting with a letter or digit)');

/** A secret given by the caller instead of a generated one. */
export const WebhookSecretSchema = z.string().min(16, 'at least 16 characters').max(200);

/** pending → delivering (claimed, under a lease) → delivered, or back to pending (retry), or failed (given up). */
export const WebhookDeliveryStatusSchema = z.enum(['pending', 'delivering', 'delivered', 'failed']);
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatusSchema>;

/**
 * Whether a webhook subscribed to `events` wants an event of `type`.
 * @example isSubscribed(['*'], 'alert.opened') // true
 */
export function isSubscribed(events: readonly WebhookSubscription[], type: WebhookEventType): boolean {
  return events.includes('*') || events.includes(type);
}

/** The origin of a URL (scheme, host, port): what may be logged or audited of a URL whose path or query can hold a token. */
export function urlOrigin(url: string): string {
  return new URL(url).origin;
}
