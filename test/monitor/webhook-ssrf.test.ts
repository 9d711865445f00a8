import type { LookupAddress } from 'node:dns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isEvalOpsError } from '../../src/core/errors.js';
import { createWebhook, deliverDueWebhooks, emitWebhookEvent, testWebhook } from '../../src/monitor/webhook-service.js';
import { guardedLookup, WebhookTargetRefused, type HostResolver } from '../../src/monitor/webhook-target-guard.js';
import { openStore, type Store } from '../../src/store/store.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * The SSRF guard of webhooks on a real store and a real loopback receiver that answers with an
 * "internal" body: refused targets are never connected to (the receiver sees nothing, the delivery
 * log holds the refusal and none of the answer), whatever form the address takes; names are
 * checked on the addresses they resolve to, at every delivery; `allowPrivate` lets them through.
 */
const INTERNAL = 'INTERNAL-ADMIN-ANSWER-42';
const ALLOW = { allowPrivate: true } as const;
const GUARD = { allowPrivate: false } as const;

describe('webhook SSRF guard', () => {
  let store: Store;
  let projectId: string;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    store = await openStore(':memory:');
    projectId = (await store.projects.ensure('shop')).id;
    receiver = await startWebhookReceiver({ secret: () => 'whsec_test_secret_1234', respond: (_n, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end(INTERNAL) });
  });
  afterEach(async () => {
    await receiver.close();
    await store.close();
  });

  /** A webhook stored as if created before the guard (or from the local CLI), so delivery is what is tested. */
  async function stored(name: string, url: string): Promise<void> {
    await store.webhooks.create({ projectId, name, url, secret: 'whsec_test_secret_1234', events: ['*'] });
  }

  const targets = (port: number): [string, string, RegExp][] => [
    ['loopback', `http://127.0.0.1:${port}/hooks`, /127\.0\.0\.1 is a loopback address/],
    ['ipv6-loopback', `http://[::1]:${port}/hooks`, /::1 is a loopback address/],
    ['mapped', `http://[::ffff:127.0.0.1]:${port}/hooks`, /::ffff:7f00:1 is a loopback address/],
    ['localhost', `http://localhost:${port}/hooks`, /localhost is a loopback or metadata host name/],
    ['rfc1918', 'http://10.1.2.3/hooks', /10\.1\.2\.3 is a private address/],
    ['metadata', 'http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a link-local address/],
    ['metadata-name', 'http://metadata.google.internal/computeMetadata/v1/', /metadata\.google\.internal is a loopback or metadata host name/],
  ];

  it('refuses a ping to loopback, private, link-local and metadata targets without connecting, and keeps no answer in the log', async () => {
    for (const [name, url, reason] of targets(receiver.port)) {
      await stored(name, url);
      const ping = await testWebhook(store, projectId, name, { targets: GUARD, timeoutMs: 1000 });
      expect(ping.status, name).toBe('pending');
      expect(ping.lastStatusCode, name).toBeNull();
      expect(ping.lastError, name).toMatch(reason);
      expect(ping.lastError, name).toMatch(/--allow-private-webhooks/);
    }
    expect(receiver.received).toHaveLength(0);
    const log = JSON.stringify(await Promise.all((await store.webhooks.listDeliveries(projectId)).map((d) => store.webhooks.attempts(d.id))));
    expect(log).not.toContain(INTERNAL);
  });

  it('refuses due deliveries by the worker the same way', async () => {
    await stored('loopback', `http://127.0.0.1:${receiver.port}/hooks`);
    await emitWebhookEvent(store, projectId, { id: 'alr_1:opened', type: 'alert.opened', payload: {} });
    expect(await deliverDueWebhooks(store, { targets: GUARD })).toEqual({ delivered: 0, retried: 1, failed: 0 });
    expect(await deliverDueWebhooks(store)).toEqual({ delivered: 0, retried: 0, failed: 0 }); // not due yet; the default is the guard
    expect(receiver.received).toHaveLength(0);
  });

  it('reaches the same targets when the operator allows private addresses (and then the answer is logged)', async () => {
    await stored('loopback', `http://127.0.0.1:${receiver.port}/hooks`);
    await stored('mapped', `http://[::ffff:127.0.0.1]:${receiver.port}/hooks`);
    await stored('localhost', `http://localhost:${receiver.port}/hooks`);
    for (const name of ['loopback', 'mapped', 'localhost']) {
      const ping = await testWebhook(store, projectId, name, { targets: ALLOW });
      expect(ping, name).toMatchObject({ lastStatusCode: 500, lastError: `HTTP 500: ${INTERNAL}` });
    }
    expect(receiver.received).toHaveLength(3);
  });

  it('refuses at creation (400 input naming the url field) unless allowed', async () => {
    for (const [name, url] of targets(receiver.port)) {
      const refused = await createWebhook(store, projectId, { name, url }, 'owner@example.com', GUARD).catch((e: unknown) => e);
      expect(isEvalOpsError(refused) && refused.code, name).toBe('input');
      expect((refused as Error).message, name).toMatch(/^body field url: refused: /);
    }
    expect(await store.webhooks.list(projectId)).toEqual([]);
    await createWebhook(store, projectId, { name: 'ok', url: `http://127.0.0.1:${receiver.port}/hooks` }, 'owner@example.com', ALLOW);
    expect((await store.webhooks.list(projectId)).map((h) => h.name)).toEqual(['ok']);
  });

  it('sees through other spellings of loopback and metadata addresses', async () => {
    const spellings = ['http://2130706433/', 'http://0x7f.1/', 'http://127.1/', 'http://017700000001/', 'http://0/', 'http://[0:0:0:0:0:ffff:7f00:1]/', 'http://[::ffff:169.254.169.254]/', 'http://LOCALHOST./', 'http://app.localhost/'];
    for (const url of spellings) {
      await expect(createWebhook(store, projectId, { name: 'odd', url }, 'o@example.com', GUARD), url).rejects.toThrow(/^body field url: refused: /);
    }
    await stored('decimal', `http://2130706433:${receiver.port}/hooks`);
    expect((await testWebhook(store, projectId, 'decimal', { targets: GUARD })).lastError).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(receiver.received).toHaveLength(0);
  });

  it('checks the address a public-looking name resolves to, and connects to that address', async () => {
    const resolve: HostResolver = async (host) => (host === 'hooks.example.test' ? [{ address: '127.0.0.1', family: 4 }] : []);
    await expect(createWebhook(store, projectId, { name: 'n', url: `http://hooks.example.test:${receiver.port}/x` }, 'o@example.com', { allowPrivate: false, resolve })).rejects.toThrow(
      /hooks\.example\.test \(127\.0\.0\.1\) is a loopback address/,
    );
    await stored('named', `http://hooks.example.test:${receiver.port}/x`);
    const refused = await testWebhook(store, projectId, 'named', { targets: { allowPrivate: false, resolve } });
    expect(refused.lastError).toMatch(/hooks\.example\.test \(127\.0\.0\.1\) is a loopback address/);
    expect(receiver.received).toHaveLength(0);
    // Allowed, the socket goes to what the resolver said (no real DNS knows this name) with the name as Host.
    const allowed = await testWebhook(store, projectId, 'named', { targets: { allowPrivate: true, resolve } });
    expect(allowed.lastStatusCode).toBe(500);
    expect(receiver.received.map((r) => r.headers.host)).toEqual([`hooks.example.test:${receiver.port}`]);
  });

  it('checks again at every delivery: a name that turned private after creation (DNS rebinding) is refused', async () => {
    let calls = 0;
    const rebinding: HostResolver = async () => (calls++ === 0 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]);
    await createWebhook(store, projectId, { name: 'rebind', url: `http://rebind.example.test:${receiver.port}/x` }, 'o@example.com', { allowPrivate: false, resolve: rebinding });
    const ping = await testWebhook(store, projectId, 'rebind', { targets: { allowPrivate: false, resolve: rebinding } });
    expect(ping.lastError).toMatch(/rebind\.example\.test \(127\.0\.0\.1\) is a loopback address/);
    expect(calls).toBe(2);
    expect(receiver.received).toHaveLength(0);
  });

  it('accepts at creation a name that does not resolve, or not in time: deliveries check it', async () => {
    const none: HostResolver = async () => {
      throw Object.assign(new Error('no such host'), { code: 'ENOTFOUND' });
    };
    const hanging: HostResolver = () => new Promise(() => undefined);
    await createWebhook(store, projectId, { name: 'later', url: 'https://not-yet.example.test/x' }, 'o@example.com', { allowPrivate: false, resolve: none });
    await createWebhook(store, projectId, { name: 'slow', url: 'https://slow.example.test/x' }, 'o@example.com', { allowPrivate: false, resolve: hanging });
    expect((await store.webhooks.list(projectId)).map((h) => h.name).sort()).toEqual(['later', 'slow']);
  });

  it('refuses a name with any private address among public ones', async () => {
    const mixed: HostResolver = async () => [
      { address: '8.8.8.8', family: 4 },
      { address: '::ffff:10.0.0.5', family: 6 },
    ];
    await expect(createWebhook(store, projectId, { url: 'http://mixed.example.test/x' }, 'o@example.com', { allowPrivate: false, resolve: mixed })).rejects.toThrow(/::ffff:10\.0\.0\.5\) is a private address/);
  });
});

describe('guardedLookup', () => {
  const resolve: HostResolver = async () => [
    { address: '203.0.113.9', family: 4 },
    { address: '2001:db8::9', family: 6 },
  ];
  const lookup = (options: { all?: boolean; family?: number }): Promise<unknown> =>
    new Promise((done, fail) => guardedLookup({ allowPrivate: false, resolve })('hooks.example.test', options as never, ((e: Error | null, a: string | LookupAddress[], f?: number) => (e ? fail(e) : done(options.all ? a : [a, f]))) as never));

  it('answers with exactly the checked addresses, as node:net asks for them', async () => {
    expect(await lookup({ all: true })).toEqual([
      { address: '203.0.113.9', family: 4 },
      { address: '2001:db8::9', family: 6 },
    ]);
    expect(await lookup({ family: 6 })).toEqual(['2001:db8::9', 6]);
    expect(await lookup({})).toEqual(['203.0.113.9', 4]);
  });

  it('fails the lookup with the refusal for a private answer', async () => {
    const bad = guardedLookup({ allowPrivate: false, resolve: async () => [{ address: '169.254.169.254', family: 4 }] });
    const error = await new Promise((done) => bad('x.example.test', {} as never, ((e: Error | null) => done(e)) as never));
    expect(error).toBeInstanceOf(WebhookTargetRefused);
  });
});
