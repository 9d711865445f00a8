import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Store } from '../store/store.js';
import { createRedactor } from '../ingest/redact.js';
import { SpanWriteQueue, type SpanWriteQueueOptions } from '../ingest/span-write-queue.js';
import { createApp } from './create-app.js';
import { ServerMetrics } from './server-metrics.js';

export interface StartServerOptions {
  readonly store: Store;
  readonly port: number;
  readonly host: string;
  readonly log?: (entry: Record<string, unknown>) => void;
  /** How long shutdown waits for in-flight requests before cutting connections. */
  readonly drainTimeoutMs?: number;
  /** Redaction rules applied to spans before they are stored (built-in names or regex rules). */
  readonly redact?: readonly unknown[];
  /** Largest accepted OTLP request body, in bytes (default 16 MiB). */
  readonly maxBodyBytes?: number;
  readonly queue?: SpanWriteQueueOptions;
}

export interface RunningServer {
  readonly url: string;
  readonly metrics: ServerMetrics;
  /** Stops accepting, lets in-flight requests finish (up to the drain timeout), then resolves. */
  close(): Promise<void>;
}

/** `evalops serve`'s server on Node's http module, with graceful shutdown. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const log = options.log ?? (() => undefined);
  const metrics = new ServerMetrics();
  let draining = false;
  const queue = new SpanWriteQueue(options.store.spans, options.queue);
  metrics.gauge('evalops_ingest_queue_spans', 'Spans waiting to be committed.', () => queue.depth);
  const redactor = createRedactor(options.redact ?? []);
  const app = createApp({ store: options.store, metrics, log, queue, redactor, maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024 }, { draining: () => draining });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s as Server)) as Server;
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    metrics,
    close: () =>
      new Promise<void>((resolve) => {
        draining = true;
        const timer = setTimeout(() => server.closeAllConnections(), options.drainTimeoutMs ?? 10_000);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          // In-flight requests have had their answers; anything still queued is committed now.
          void queue.flush().then(resolve, resolve);
        });
        server.closeIdleConnections();
      }),
  };
}
