import PgBoss from 'pg-boss';
import type { FailedJob, JobContext, JobFilter, JobQueue, JobQueueCounts, JobQueueOptions, QueuedJob, WorkOptions } from './job-queue.js';

export interface PgBossQueueConfig extends JobQueueOptions {
  readonly url: string;
  /** pg-boss's own schema (default `pgboss`); its tables never mix with ours. */
  readonly schema?: string;
  readonly queue: string;
}

/**
 * The job queue on PostgreSQL: pg-boss 10 (jobs in its own schema, taken with SKIP LOCKED, so any
 * number of `evalops worker` processes share one queue). A job that throws is retried with
 * exponential backoff up to `retryLimit` times, then kept in the failed state and copied to the
 * `<queue>-dead` dead-letter queue; a job held past its lease (its worker died) is failed by pg-boss's
 * supervisor and retried. The queue policy `short` keeps one queued job per key.
 */
export class PgBossJobQueue implements JobQueue {
  readonly kind = 'pg-boss' as const;
  private readonly boss: PgBoss;
  private readonly schema: string;
  private started: Promise<void> | undefined;
  private readonly workerIds: string[] = [];

  constructor(private readonly config: PgBossQueueConfig) {
    this.schema = config.schema ?? 'pgboss';
    const lease = config.leaseSeconds ?? 120;
    this.boss = new PgBoss({
      connectionString: config.url,
      schema: this.schema,
      max: 4,
      // The supervisor fails expired jobs; look at least as often as a lease lasts.
      maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.floor(lease / 2))),
      monitorStateIntervalSeconds: 60,
      schedule: false,
    });
    this.boss.on('error', () => undefined);
  }

  private async start(): Promise<void> {
    this.started ??= (async () => {
      await this.boss.start();
      const dead = `${this.config.queue}-dead`;
      const common = {
        retryLimit: this.config.retryLimit ?? 5,
        retryDelay: this.config.retryDelaySeconds ?? 5,
        retryBackoff: true,
        expireInSeconds: this.config.leaseSeconds ?? 120,
      };
      await createQueueOnce(this.boss, { name: dead, policy: 'standard', ...common });
      await createQueueOnce(this.boss, { name: this.config.queue, policy: 'short', deadLetter: dead, ...common });
    })();
    return this.started;
  }

  async send(jobs: readonly QueuedJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.start();
    // insert() skips the short-policy uniqueness check's error: a duplicate key is simply not added.
    for (const j of jobs) {
      await this.boss.send(this.config.queue, j.data, { singletonKey: j.key, ...(j.startAfterMs !== undefined ? { startAfter: new Date(j.startAfterMs) } : {}) });
    }
  }

  async work(handler: (job: JobContext) => Promise<void>, options: WorkOptions = {}): Promise<void> {
    await this.start();
    const concurrency = options.concurrency ?? 4;
    const pollingIntervalSeconds = Math.max(0.5, (options.pollMs ?? 500) / 1000);
    let workerId = '';
    // One fetch loop taking up to `concurrency` jobs at a time, each completed or failed on its own.
    // pg-boss waits a polling interval after every fetch; after a full batch the worker is nudged
    // to fetch again at once, so a backlog drains at handler speed.
    workerId = await this.boss.work<Record<string, unknown>>(this.config.queue, { batchSize: concurrency, pollingIntervalSeconds, includeMetadata: true }, async (jobs) => {
      await Promise.all(
        jobs.map(async (job) => {
          const ctx: JobContext = { id: job.id, key: job.singletonKey ?? job.id, data: job.data, attempt: job.retryCount + 1 };
          try {
            await handler(ctx);
          } catch (e) {
            options.onError?.(e, ctx);
            await this.boss.fail(this.config.queue, job.id, { message: String((e as Error)?.message ?? e).slice(0, 2000) });
          }
        }),
      );
      if (jobs.length === concurrency) this.boss.notifyWorker(workerId);
    });
    this.workerIds.push(workerId);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    await this.started.catch(() => undefined);
    await this.boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  }

  async counts(only?: JobFilter): Promise<JobQueueCounts> {
    if (only?.ruleIds.length === 0) return { queued: 0, active: 0, completed: 0, failed: 0 };
    await this.start();
    const rows = await this.sql<{ state: string; n: number }>(
      `select state, count(*)::int as n from ${ident(this.schema)}.job where name = $1${only ? ` and data->>'ruleId' = any($2::text[])` : ''} group by state`,
      only ? [this.config.queue, [...only.ruleIds]] : [this.config.queue],
    );
    const by = new Map(rows.map((r) => [r.state, Number(r.n)]));
    return { queued: (by.get('created') ?? 0) + (by.get('retry') ?? 0), active: by.get('active') ?? 0, completed: by.get('completed') ?? 0, failed: by.get('failed') ?? 0 };
  }

  async failed(limit = 100, only?: JobFilter): Promise<FailedJob[]> {
    if (only?.ruleIds.length === 0) return [];
    await this.start();
    const rows = await this.sql<{ id: string; singleton_key: string | null; data: Record<string, unknown>; retry_count: number; output: unknown; completed_on: Date | null }>(
      `select id, singleton_key, data, retry_count, output, completed_on from ${ident(this.schema)}.job where name = $1 and state = 'failed'${only ? ` and data->>'ruleId' = any($3::text[])` : ''} order by completed_on desc nulls last limit $2`,
      only ? [this.config.queue, limit, [...only.ruleIds]] : [this.config.queue, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      key: r.singleton_key ?? r.id,
      data: r.data,
      attempts: Number(r.retry_count) + 1,
      error: errorText(r.output),
      failedAt: (r.completed_on ?? new Date()).toISOString(),
    }));
  }

  async retry(id: string): Promise<boolean> {
    await this.start();
    const before = await this.sql<{ n: number }>(`select count(*)::int as n from ${ident(this.schema)}.job where name = $1 and id = $2 and state = 'failed'`, [this.config.queue, id]);
    if (Number(before[0]?.n ?? 0) === 0) return false;
    await this.boss.retry(this.config.queue, id);
    return true;
  }

  private async sql<T>(text: string, values: unknown[]): Promise<T[]> {
    return (await this.boss.getDb().executeSql(text, values)).rows as T[];
  }
}

async function createQueueOnce(boss: PgBoss, queue: PgBoss.Queue): Promise<void> {
  try {
    if (await boss.getQueue(queue.name)) return;
    await boss.createQueue(queue.name, queue);
  } catch (e) {
    // Two workers starting at once race on the queue row; the loser's queue exists now.
    if (!(await boss.getQueue(queue.name))) throw e;
  }
}

function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new TypeError(`invalid schema name "${name}"`);
  return `"${name}"`;
}

function errorText(output: unknown): string | null {
  if (output === null || output === undefined) return null;
  if (typeof output === 'object' && output !== null && 'message' in output) return String((output as { message: unknown }).message);
  return JSON.stringify(output).slice(0, 2000);
}
