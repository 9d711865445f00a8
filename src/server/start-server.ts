import { createServer, type RequestListener, type Server, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { PlaygroundDeps } from '../playground/run-playground.js';
import type { TriageConfig } from '../core/triage/triage-config.js';
import { NO_REGISTERED_SCORERS, type RegisteredScorers } from '../scorers/registered-scorers.js';
import type { Store } from '../store/store.js';
import { createRedactor } from '../ingest/redact.js';
import { DEFAULT_REDACTIONS } from '../ingest/redaction-rule.js';
import { IngestAdmission, type IngestAdmissionOptions } from '../ingest/ingest-admission.js';
import { openSpanSink } from '../ingest/open-span-sink.js';
import { SpanWriteQueue, type SpanWriteQueueOptions } from '../ingest/span-write-queue.js';
import { DEFAULT_API_BODY_LIMITS, type ApiBodyLimits } from './api-body-limits.js';
import { createApp } from './create-app.js';
import { createResolveHandler, type ResolveOptions } from './resolve-handler.js';
import { ServerMetrics } from './server-metrics.js';
import { startSpanMaintenance, type SpanMaintenance } from './span-maintenance.js';
import type { Retention } from '../core/retention.js';

export interface StartServerOptions {
  readonly store: Store;
  readonly port: number;
  readonly host: string;
  readonly log?: (entry: Record<string, unknown>) => void;
  /** How long shutdown waits for in-flight requests before cutting connections. */
  readonly drainTimeoutMs?: number;
  /** Scorers registered by the operator (`--scorers DIR`): what online rules may name; none when absent. */
  readonly scorers?: RegisteredScorers;
  /**
   * Redaction rules applied to spans before they are stored (built-in names or regex rules); by
   * default DEFAULT_REDACTIONS (keys, bearer tokens, private keys, card numbers); `[]` for none.
   */
  readonly redact?: readonly unknown[];
  /** Largest accepted OTLP request body, in bytes after gzip is undone (default 16 MiB). */
  readonly maxBodyBytes?: number;
  /** Bytes of a refused OTLP body read and dropped to keep its connection (default max(maxBodyBytes, 64 MiB)); past it, `Connection: close`. */
  readonly maxDrainBytes?: number;
  /** Bounds on JSON API bodies (each defaults to DEFAULT_API_BODY_LIMITS). */
  readonly apiLimits?: Partial<ApiBodyLimits>;
  /** Bounds of the ingest write queue (by default about 2 s of backlog at the measured commit rate). */
  readonly queue?: SpanWriteQueueOptions;
  /** Bounds checked before an OTLP body is read (by default 64 MiB of bodies in flight). */
  readonly admission?: IngestAdmissionOptions;
  /** Let webhooks reach loopback, private, link-local and metadata addresses (`--allow-private-webhooks`). */
  readonly allowPrivateWebhooks?: boolean;
  /** Honour X-Forwarded-Proto / X-Forwarded-For from a proxy the operator trusts (`--trust-proxy`). */
  readonly trustProxy?: boolean;
  /** The operator's providers and metrics (`--config`), which the playground runs drafts with. */
  readonly playground?: PlaygroundDeps;
  /** The config's `triage:` models (`--config`): the defaults of every triage on this server. */
  readonly triage?: TriageConfig;
  /** Retention of stored data (`retention: { spans: 30d }`, in milliseconds once parsed); none by default. */
  readonly retention?: Retention;
  /** Time between span maintenance passes (partitions ahead, retention; default one hour). */
  readonly maintenanceIntervalMs?: number;
  /** Cache ages of resolve (defaults: a project's state checked every 250 ms, keys every 1 s). */
  readonly resolve?: ResolveOptions;
}

/**
 * Idle keep-alive sockets are kept this long. Longer than the usual client idle timeouts, so the
 * server is not the side that closes a socket a client is just reusing (the client then sees a reset).
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export interface RunningServer {
  readonly url: string;
  readonly metrics: ServerMetrics;
  /** The span tables' background care (partitions ahead on PostgreSQL, retention). */
  readonly maintenance: SpanMaintenance;
  /** Stops accepting, lets in-flight requests finish (up to the drain timeout), then resolves. */
  close(): Promise<void>;
}

/** `evalops serve`'s server on Node's http module, with graceful shutdown. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const log = options.log ?? (() => undefined);
  const metrics = new ServerMetrics();
  let draining = false;
  const redactor = createRedactor(options.redact ?? DEFAULT_REDACTIONS);
  const writer = await openSpanSink(options.store, { onWorkerError: (e) => log({ level: 'error', msg: 'the span writer thread failed; restarting it', error: String(e) }) });
  const queue = new SpanWriteQueue(writer.sink, { concurrency: writer.concurrency, ...options.queue });
  const admission = new IngestAdmission(queue, options.admission);
  metrics.gauge('evalops_ingest_queue_spans', 'Spans waiting to be committed.', () => queue.depth);
  metrics.gauge('evalops_ingest_queue_bytes', 'Estimated bytes of the rows waiting to be committed (bounded by the queue\'s maxQueuedBytes).', () => queue.bytes);
  metrics.gauge('evalops_ingest_queue_capacity_spans', 'Spans the write queue takes at its measured commit rate.', () => queue.capacity);
  metrics.gauge('evalops_ingest_inflight_bytes', 'OTLP request bytes admitted and not yet decoded.', () => admission.inFlightBytes);
  const app = createApp(
    {
      store: options.store,
      metrics,
      log,
      queue,
      admission,
      redactor,
      maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024,
      ...(options.maxDrainBytes !== undefined ? { maxDrainBytes: options.maxDrainBytes } : {}),
      webhookTargets: { allowPrivate: options.allowPrivateWebhooks === true },
      trustProxy: options.trustProxy === true,
      scorers: options.scorers ?? NO_REGISTERED_SCORERS,
      apiLimits: { ...DEFAULT_API_BODY_LIMITS, ...options.apiLimits },
      ...(options.playground ? { playground: options.playground } : {}),
      ...(options.triage ? { triage: options.triage } : {}),
    },
    { draining: () => draining },
  );
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      // Resolve is answered before the app, on Node's own request (src/server/resolve-handler.ts).
      const resolveHandler = createResolveHandler({ store: options.store, metrics, log }, options.resolve);
      const s = serve(
        {
          fetch: app.fetch,
          port: options.port,
          hostname: options.host,
          createServer: ((serverOptions: ServerOptions, listener: RequestListener) =>
            createServer(serverOptions, (req, res) => {
              if (!resolveHandler(req, res)) listener(req, res);
            })) as typeof createServer,
        },
        () => resolve(s as Server),
      ) as Server;
      s.once('error', reject);
    });
  } catch (e) {
    await writer.close();
    throw e;
  }
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Must exceed the keep-alive timeout, or a reused socket can be cut while its next request's headers arrive.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  const maintenance = startSpanMaintenance(options.store, {
    log,
    ...(options.retention?.spans !== undefined ? { retentionMs: options.retention.spans } : {}),
    ...(options.maintenanceIntervalMs !== undefined ? { intervalMs: options.maintenanceIntervalMs } : {}),
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    metrics,
    maintenance,
    close: () =>
      new Promise<void>((resolve) => {
        draining = true;
        const timer = setTimeout(() => server.closeAllConnections(), options.drainTimeoutMs ?? 10_000);
        timer.unref();
        // Keep-alive sockets that finish their request while draining are closed as they go idle.
        const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
        idleSweep.unref();
        server.close(() => {
          clearTimeout(timer);
          clearInterval(idleSweep);
          // In-flight requests have had their answers; anything still queued is committed now.
          void queue
            .flush()
            .then(() => maintenance.stop())
            .then(() => writer.close())
            .then(resolve, (e: unknown) => {
              log({ level: 'error', msg: 'closing the span writer failed', error: String(e) });
              resolve();
            });
        });
        server.closeIdleConnections();
      }),
  };
}
