import type { ModelPort } from '../models/model-port.js';
import { evaluateMonitors } from '../monitor/evaluate-monitors.js';
import { deliverDueWebhooks, GUARDED, type WebhookTargetPolicy } from '../monitor/webhook-service.js';
import type { RegisteredScorers } from '../scorers/registered-scorers.js';
import type { Store } from '../store/store.js';
import type { JobQueue } from './job-queue.js';
import { openJobQueue } from './open-job-queue.js';
import { isSessionJob, scoreOnlineSession } from './score-online-session.js';
import { scoreOnlineTrace } from './score-online-trace.js';
import { sweepOnlineRules } from './sweep-online-rules.js';

export interface OnlineWorkerOptions {
  readonly store: Store;
  readonly queue?: JobQueue;
  readonly models?: ModelPort;
  /** Scorers registered by the operator (`--scorers DIR`), which rules name; none when absent. */
  readonly registered?: RegisteredScorers;
  /** Scoring jobs in hand at once. */
  readonly concurrency?: number;
  readonly sweepMs?: number;
  readonly monitorMs?: number;
  readonly webhookMs?: number;
  /** Job lease: a job held longer (its worker died) is handed out again. */
  readonly leaseSeconds?: number;
  readonly retryDelaySeconds?: number;
  readonly now?: () => number;
  readonly log?: (entry: Record<string, unknown>) => void;
  /** Which addresses webhooks may reach (default: public ones only; `--allow-private-webhooks`). */
  readonly webhookTargets?: WebhookTargetPolicy;
}

export interface RunningWorker {
  readonly queue: JobQueue;
  /** Runs one sweep, one monitor pass and one webhook pass now (tests, the demo, `--once`). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The background worker (`evalops worker`, and inside `evalops serve` on the embedded default): it
 * sweeps online rules into scoring jobs, scores them from the queue, evaluates monitors (alerts,
 * rollback rules) and delivers webhooks. Every part is safe to run in several processes at once.
 */
export async function startOnlineWorker(options: OnlineWorkerOptions): Promise<RunningWorker> {
  const { store } = options;
  const log = options.log ?? (() => undefined);
  const now = options.now ?? Date.now;
  const queue =
    options.queue ??
    openJobQueue(store, { ...(options.leaseSeconds !== undefined ? { leaseSeconds: options.leaseSeconds } : {}), ...(options.retryDelaySeconds !== undefined ? { retryDelaySeconds: options.retryDelaySeconds } : {}), now });
  const deps = { ...(options.models ? { models: options.models } : {}), ...(options.registered ? { registered: options.registered } : {}), now, log };
  await queue.work(
    async (job) => {
      // A rule that targets sessions sends session jobs; every other job scores one trace.
      const outcome = isSessionJob(job.data) ? await scoreOnlineSession(store, deps, job) : await scoreOnlineTrace(store, deps, job);
      if (outcome !== 'scored') log({ level: 'debug', msg: 'online job', outcome, key: job.key });
    },
    { concurrency: options.concurrency ?? 4, onError: (error, job) => log({ level: 'warn', msg: 'online scoring job failed; it will be retried', key: job.key, attempt: job.attempt, error: String((error as Error)?.message ?? error) }) },
  );
  const sweep = async (): Promise<void> => {
    await sweepOnlineRules(store, queue, { now });
  };
  const monitors = async (): Promise<void> => {
    for (const t of await evaluateMonitors(store, now)) {
      if (t.alert && t.alert.change !== 'still_open') log({ level: 'info', msg: `alert ${t.alert.change}`, monitor: t.monitor, alert: t.alert.id });
      if (t.error) log({ level: 'warn', msg: 'monitor cannot be evaluated', monitor: t.monitor, error: t.error });
    }
  };
  const webhooks = async (): Promise<void> => {
    await deliverDueWebhooks(store, { now, targets: options.webhookTargets ?? GUARDED });
  };
  const loops = [loop('sweep', sweep, options.sweepMs ?? 1000, log), loop('monitors', monitors, options.monitorMs ?? 5000, log), loop('webhooks', webhooks, options.webhookMs ?? 1000, log)];
  return {
    queue,
    async tick() {
      await sweep();
      await monitors();
      await webhooks();
    },
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
      await queue.stop();
    },
  };
}

/** Runs `body` every `ms`, never two at once; errors are logged and the loop goes on. */
function loop(name: string, body: () => Promise<void>, ms: number, log: (entry: Record<string, unknown>) => void): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const run = (): void => {
    if (stopped) return;
    current = body()
      .catch((e: unknown) => log({ level: 'error', msg: `worker ${name} pass failed`, error: String((e as Error)?.message ?? e) }))
      .finally(() => {
        if (!stopped) timer = setTimeout(run, ms);
      });
  };
  timer = setTimeout(run, Math.min(ms, 200));
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
