import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { importModule } from '../../config/import-module.js';
import { loadConfig } from '../../config/load-config.js';
import type { EvalOpsConfig } from '../../config/config-schema.js';
import type { ProvidersConfig } from '../../core/provider-config.js';
import { createModelPort } from '../../models/ai-sdk-model-port.js';
import type { ModelPort } from '../../models/model-port.js';
import { rateLimitedModels } from '../../models/rate-limited-model-port.js';
import { startOnlineWorker, type RunningWorker } from '../../online/online-worker.js';
import { loadRegisteredScorers, NO_REGISTERED_SCORERS, type RegisteredScorers } from '../../scorers/registered-scorers.js';
import type { Store } from '../../store/store.js';
import { withErrorHandling } from '../handle-errors.js';
import { openCliStore } from '../open-cli-store.js';
import { parseIntFlag } from '../parse-flags.js';

export interface WorkerFlags {
  config?: string;
  /** Directory of the scorers the operator registers: the only code online rules may run. */
  scorers?: string;
  concurrency?: string;
  lease?: string;
  once?: boolean;
  allowPrivateWebhooks?: boolean;
}

/**
 * The LLM port of a worker: the providers of the config (given, or evalops.yaml / evalops.config.ts
 * in the working directory when there is one), each held to its `rateLimitPerMinute`; and the config
 * itself, when there is one (the server's playground scores with its metrics).
 */
export async function workerModels(configPath: string | undefined, cwd: string = process.cwd()): Promise<{ models: ModelPort; baseDir: string; config?: EvalOpsConfig }> {
  let providers: ProvidersConfig = {};
  let baseDir = cwd;
  let config: EvalOpsConfig | undefined;
  const found = configPath ?? ['evalops.yaml', 'evalops.yml', 'evalops.config.ts'].find((f) => existsSync(resolve(cwd, f)));
  if (found) {
    const loaded = await loadConfig(found, cwd);
    providers = loaded.config.providers ?? {};
    baseDir = loaded.baseDir;
    config = loaded.config;
  }
  const limits = Object.fromEntries(Object.entries(providers).flatMap(([name, p]) => (p.rateLimitPerMinute ? [[name, p.rateLimitPerMinute]] : [])));
  return { models: rateLimitedModels(createModelPort({ providers }), limits), baseDir, ...(config ? { config } : {}) };
}

/** The scorers of `--scorers DIR` (loaded and checked now, so a bad file stops the start), or none. */
export async function cliRegisteredScorers(dir: string | undefined): Promise<RegisteredScorers> {
  return dir === undefined ? NO_REGISTERED_SCORERS : loadRegisteredScorers(dir, importModule);
}

/**
 * Starts the online worker on a store: the shared part of `evalops worker` and `evalops serve` (which
 * passes the scorers it loaded already). Rules run declarative scorers and the registered ones only;
 * the config gives the judges' providers, nothing else.
 */
export async function startCliWorker(store: Store, flags: WorkerFlags, log: (entry: Record<string, unknown>) => void, registered?: RegisteredScorers): Promise<RunningWorker> {
  const concurrency = parseIntFlag(flags.concurrency, '--concurrency', 1, 256) ?? 4;
  const leaseSeconds = parseIntFlag(flags.lease ?? process.env['EVALOPS_JOB_LEASE_SECONDS'], '--lease', 2, 3600);
  const scorers = registered ?? (await cliRegisteredScorers(flags.scorers));
  const { models } = await workerModels(flags.config);
  return startOnlineWorker({ store, models, registered: scorers, concurrency, ...(leaseSeconds ? { leaseSeconds } : {}), log, webhookTargets: { allowPrivate: flags.allowPrivateWebhooks === true } });
}

/**
 * `evalops worker`: online scoring, monitors and webhook delivery for the store of
 * EVALOPS_DATABASE_URL. Run any number of them on PostgreSQL (jobs go through pg-boss). SIGTERM /
 * SIGINT finish the jobs in hand, then exit. `--once` runs one sweep, waits for the queue to drain,
 * evaluates the monitors and delivers due webhooks, then exits.
 */
export async function workerCommand(flags: WorkerFlags): Promise<void> {
  await withErrorHandling(false, async () => {
    const log = (entry: Record<string, unknown>): void => void process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
    const store = await openCliStore();
    const worker = await startCliWorker(store, flags, log);
    log({ level: 'info', msg: 'worker started', database: store.dialect, queue: worker.queue.kind, pid: process.pid });
    if (flags.once) {
      await worker.tick();
      for (;;) {
        const c = await worker.queue.counts();
        if (c.queued === 0 && c.active === 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      await worker.tick();
    } else {
      await new Promise<void>((resolve) => {
        const stop = (signal: string): void => {
          log({ level: 'info', msg: 'worker stopping', signal });
          resolve();
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    }
    await worker.stop();
    await store.close();
    log({ level: 'info', msg: 'worker stopped' });
    return 0;
  });
}
