import { ensureBootstrapAdminKey } from '../../auth/ensure-bootstrap-admin-key.js';
import { redactionRulesFromList } from '../../ingest/redaction-rule.js';
import { PLAYGROUND_LIMITS } from '../../playground/run-playground.js';
import { RunSlots } from '../../playground/run-slots.js';
import { startServer } from '../../server/start-server.js';
import { withErrorHandling } from '../handle-errors.js';
import { openCliStore } from '../open-cli-store.js';
import { parseIntFlag } from '../parse-flags.js';
import { RetentionAgeSchema, type Retention } from '../../core/retention.js';
import { EvalOpsError } from '../../core/errors.js';

/** `--retention-spans 30d` (or EVALOPS_RETENTION_SPANS): a usage error naming the flag when malformed. */
function parseRetention(value: string | undefined): Retention | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = RetentionAgeSchema.safeParse(value);
  if (!parsed.success) throw new EvalOpsError('usage', `--retention-spans must be an age like 30d, 12h or 8w (got "${value}")`);
  return { spans: parsed.data };
}

/**
 * `evalops serve`: the API on the store of EVALOPS_DATABASE_URL (embedded SQLite by default). On the
 * first start with no keys, an instance-wide admin key is created and printed once. SIGTERM / SIGINT
 * drain in-flight requests, then close the database. Logs are JSON lines on stderr.
 */
export async function serveCommand(flags: {
  port?: string;
  host?: string;
  redact?: string;
  worker?: boolean;
  config?: string;
  concurrency?: string;
  maxBodyBytes?: string;
  maxImportBytes?: string;
  maxOtlpBodyBytes?: string;
  allowPrivateWebhooks?: boolean;
  trustProxy?: boolean;
  scorers?: string;
  retentionSpans?: string;
}): Promise<void> {
  await withErrorHandling(false, async () => {
    const port = parseIntFlag(flags.port ?? process.env['PORT'] ?? '8787', '--port', 0, 65_535) ?? 8787;
    const host = flags.host ?? '127.0.0.1';
    const bytesFlag = (value: string | undefined, flag: string): number | undefined => parseIntFlag(value, flag, 1024, 2 ** 31 - 1);
    const maxBodyBytes = bytesFlag(flags.maxBodyBytes, '--max-body-bytes');
    const maxImportBytes = bytesFlag(flags.maxImportBytes, '--max-import-bytes');
    const maxOtlpBodyBytes = bytesFlag(flags.maxOtlpBodyBytes, '--max-otlp-body-bytes');
    const log = (entry: Record<string, unknown>): void => void process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
    const store = await openCliStore();
    const admin = await ensureBootstrapAdminKey(store);
    if (admin) {
      process.stderr.write(`\nFirst start: created an instance-wide admin API key. It is shown only this once:\n\n  ${admin.plaintext}\n\nUse it as "Authorization: Bearer <key>" and create narrower keys with \`evalops keys create\`.\n\n`);
    }
    const retention = parseRetention(flags.retentionSpans ?? process.env['EVALOPS_RETENTION_SPANS']);
    const redact = redactionRulesFromList(flags.redact ?? process.env['EVALOPS_REDACT']);
    // Loaded once, before listening: the API checks rules' scorer names against them, the worker runs them.
    const { cliRegisteredScorers } = await import('./worker-command.js');
    const scorers = await cliRegisteredScorers(flags.scorers);
    // The playground runs drafts through the config's providers and scores them with its metrics.
    const { workerModels } = await import('./worker-command.js');
    const { models, baseDir, config } = await workerModels(flags.config);
    const playground = { models, slots: new RunSlots(PLAYGROUND_LIMITS.runsInFlight), ...(config ? { metrics: { project: config.project, dataset: config.dataset.name, baseDir, metrics: config.metrics } } : {}) };
    // --retention-spans wins over the config file's `retention: { spans }`.
    const spansRetention = retention?.spans ?? config?.retention?.spans;
    const server = await startServer({
      store,
      ...(spansRetention !== undefined ? { retention: { spans: spansRetention } } : {}),
      port,
      host,
      log,
      redact,
      scorers,
      playground,
      ...(config?.triage ? { triage: config.triage } : {}),
      allowPrivateWebhooks: flags.allowPrivateWebhooks === true,
      trustProxy: flags.trustProxy === true,
      apiLimits: { ...(maxBodyBytes ? { maxBodyBytes } : {}), ...(maxImportBytes ? { maxImportBytes } : {}) },
      ...(maxOtlpBodyBytes ? { maxBodyBytes: maxOtlpBodyBytes } : {}),
    });
    // The background worker runs in the server by default on SQLite; on PostgreSQL run `evalops worker`
    // processes (or pass --worker).
    const withWorker = flags.worker ?? store.dialect === 'sqlite';
    const worker = withWorker ? await (await import('./worker-command.js')).startCliWorker(store, flags, log, scorers) : undefined;
    log({ level: 'info', msg: 'listening', url: server.url, database: store.dialect, worker: worker ? worker.queue.kind : 'none', redact, scorers: scorers.list().map((s) => s.name) });
    process.stdout.write(`${server.url}\n`);
    await new Promise<void>((resolve) => {
      const stop = (signal: string): void => {
        log({ level: 'info', msg: 'shutting down', signal });
        void server
          .close()
          .then(() => worker?.stop())
          .then(resolve);
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    await store.close();
    log({ level: 'info', msg: 'stopped' });
    return 0;
  });
}
