import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Store } from '../store/store.js';
import { createApp } from './create-app.js';
import { ServerMetrics } from './server-metrics.js';

export interface StartServerOptions {
  readonly store: Store;
  readonly port: number;
  readonly host: string;
  readonly log?: (entry: Record<string, unknown>) => void;
  /** How long shutdown waits for in-flight requests before cutting connections. */
  readonly drainTimeoutMs?: number;
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
  const app = createApp({ store: options.store, metrics, log }, { draining: () => draining });
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
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
