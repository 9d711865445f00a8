import { describe, expect, it } from 'vitest';
import { isSubscribed, WebhookEventsSchema, WebhookUrlSchema } from './webhook-event.js';

describe('webhook descriptions', () => {
  it('accepts http(s) URLs and refuses others with a reason, never throwing', () => {
    expect(WebhookUrlSchema.safeParse('https://hooks.example.com/evalops?x=1').success).toBe(true);
    expect(WebhookUrlSchema.safeParse('http://127.0.0.1:8080/').success).toBe(true);
    const reason = (u: string) => WebhookUrlSchema.safeParse(u).error?.issues[0]?.message;
    expect(reason('not a url')).toBe('not a URL');
    expect(reason('')).toBe('not a URL');
    expect(reason('ftp://example.com/x')).toBe('must be an http:// or https:// URL');
    expect(reason('javascript:alert(1)')).toBe('must be an http:// or https:// URL');
    expect(reason('https://user:pw@example.com/')).toBe('must not carry a user name or password');
  });

  it('reads subscriptions: * swallows the rest, duplicates go, unknown types are refused', () => {
    expect(WebhookEventsSchema.parse(['alert.opened', '*'])).toEqual(['*']);
    expect(WebhookEventsSchema.parse(['alert.opened', 'alert.opened', 'ping'])).toEqual(['alert.opened', 'ping']);
    expect(WebhookEventsSchema.safeParse(['alert.bogus']).success).toBe(false);
    expect(WebhookEventsSchema.safeParse([]).success).toBe(false);
    expect(isSubscribed(['*'], 'release.rollback')).toBe(true);
    expect(isSubscribed(['alert.opened'], 'alert.resolved')).toBe(false);
  });
});
