import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook, type WebhookVerification } from '../../src/core/monitor/webhook-signature.js';

/** A webhook request as the receiver saw it, with its signature checked the way a user's receiver would. */
export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  readonly body: { id: string; eventId: string; type: string; createdAt: string; project: string; data: Record<string, unknown> };
  readonly verification: WebhookVerification;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly port: number;
  readonly received: ReceivedWebhook[];
  /** Resolves once `n` requests have arrived (a delivery from another process). */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface WebhookReceiverOptions {
  /** Listen here (a port a webhook already points at); default: a free one. */
  readonly port?: number;
  /** The secret to verify with; read at each request (the create call returns it after the receiver starts). */
  readonly secret: () => string;
  readonly nowSeconds?: () => number;
  /** How to answer; default 204. */
  readonly respond?: (request: number, res: ServerResponse) => void;
}

/** A real node:http receiver on 127.0.0.1 that verifies every signature with verifyWebhook. */
export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const header = req.headers['evalops-signature'];
      const verification = verifyWebhook({ header: typeof header === 'string' ? header : undefined, secret: options.secret(), body: rawBody, nowSeconds: options.nowSeconds?.() ?? Date.now() / 1000 });
      received.push({ headers: req.headers, rawBody, body: JSON.parse(rawBody), verification });
      for (const w of waiters.splice(0)) w();
      if (options.respond) options.respond(received.length, res);
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/evalops`,
    port,
    received,
    async waitFor(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} webhook requests, got ${received.length}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port with nothing listening on it (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
