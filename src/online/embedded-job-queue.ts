import { sql } from 'kysely';
import { backoffDelay } from '../core/backoff.js';
import { newId } from '../store/ids.js';
import type { Store } from '../store/store.js';
import type { FailedJob, JobContext, JobFilter, JobQueue, JobQueueCounts, JobQueueOptions, QueuedJob, WorkOptions } from './job-queue.js';

/**
 * The job queue in the store's own `online_jobs` table, for the embedded default. A claim is one
 * UPDATE … RETURNING, which SQLite runs under its single write lock, so processes sharing the file
 * never take the same job twice; a job whose lease ran out (its worker died) is claimable again.
 * Completed jobs are kept a week so a key sent again is not redone.
 */
export class EmbeddedJobQueue implements JobQueue {
  readonly kind = 'embedded' as const;
  private running = false;
  private readonly inFlight = new Set<Promise<void>>();
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly retryLimit: number;
  private readonly retryDelayMs: number;
  private readonly leaseMs: number;

  constructor(
    private readonly store: Store,
    private readonly queue: string,
    options: JobQueueOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.retryLimit = options.retryLimit ?? 5;
    this.retryDelayMs = (options.retryDelaySeconds ?? 5) * 1000;
    this.leaseMs = (options.leaseSeconds ?? 120) * 1000;
  }

  async send(jobs: readonly QueuedJob[]): Promise<void> {
    if (jobs.length === 0) return;
    const at = new Date(this.now()).toISOString();
    for (let i = 0; i < jobs.length; i += 200) {
      await this.store.db
        .insertInto('online_jobs')
        .values(
          jobs.slice(i, i + 200).map((j) => ({
            id: newId('job', this.now()),
            queue: this.queue,
            key: j.key,
            data: JSON.stringify(j.data),
            state: 'created',
            attempts: 0,
            run_after_ms: j.startAfterMs ?? this.now(),
            locked_until_ms: null,
            last_error: null,
            created_at: at,
            updated_at: at,
          })),
        )
        .onConflict((oc) => oc.columns(['queue', 'key']).doNothing())
        .execute();
    }
    this.wake?.();
  }

  async work(handler: (job: JobContext) => Promise<void>, options: WorkOptions = {}): Promise<void> {
    if (this.running) throw new Error('this queue is already being worked');
    this.running = true;
    const concurrency = options.concurrency ?? 4;
    const pollMs = options.pollMs ?? 250;
    this.loop = (async () => {
      while (this.running) {
        const free = concurrency - this.inFlight.size;
        const jobs = free > 0 ? await this.claim(free).catch(() => []) : [];
        for (const job of jobs) {
          const p = this.runOne(handler, job, options).finally(() => this.inFlight.delete(p));
          this.inFlight.add(p);
        }
        if (jobs.length === 0 || this.inFlight.size >= concurrency) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.inFlight.size >= concurrency ? 20 : pollMs);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wake = undefined;
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Claims up to `n` due jobs (or jobs whose lease expired). */
  async claim(n: number): Promise<JobContext[]> {
    const now = this.now();
    const rows = await this.store.db
      .updateTable('online_jobs')
      .set({ state: 'active', attempts: sql`attempts + 1`, locked_until_ms: now + this.leaseMs, updated_at: new Date(now).toISOString() })
      .where(
        'id',
        'in',
        this.store.db
          .selectFrom('online_jobs')
          .select('id')
          .where('queue', '=', this.queue)
          .where((eb) => eb.or([eb.and([eb('state', '=', 'created'), eb('run_after_ms', '<=', now)]), eb.and([eb('state', '=', 'active'), eb('locked_until_ms', '<', now)])]))
          .orderBy('run_after_ms')
          .limit(n),
      )
      .returning(['id', 'key', 'data', 'attempts'])
      .execute();
    return rows.map((r) => ({ id: r.id, key: r.key, data: JSON.parse(r.data) as Record<string, unknown>, attempt: Number(r.attempts) }));
  }

  private async runOne(handler: (job: JobContext) => Promise<void>, job: JobContext, options: WorkOptions): Promise<void> {
    try {
      await handler(job);
      await this.store.db.updateTable('online_jobs').set({ state: 'completed', locked_until_ms: null, updated_at: new Date(this.now()).toISOString() }).where('id', '=', job.id).execute();
    } catch (error) {
      options.onError?.(error, job);
      const dead = job.attempt > this.retryLimit;
      const delay = backoffDelay(job.attempt, { baseMs: this.retryDelayMs, maxMs: 10 * 60_000, random: () => 1 });
      await this.store.db
        .updateTable('online_jobs')
        .set({
          state: dead ? 'failed' : 'created',
          run_after_ms: this.now() + delay,
          locked_until_ms: null,
          last_error: String((error as Error)?.message ?? error).slice(0, 2000),
          updated_at: new Date(this.now()).toISOString(),
        })
        .where('id', '=', job.id)
        .execute()
        .catch(() => undefined);
    }
  }

  async counts(only?: JobFilter): Promise<JobQueueCounts> {
    if (only?.ruleIds.length === 0) return { queued: 0, active: 0, completed: 0, failed: 0 };
    let q = this.store.db.selectFrom('online_jobs').select(['state', sql<number>`count(*)`.as('n')]).where('queue', '=', this.queue);
    if (only) q = q.where(sql<string>`json_extract(data, '$.ruleId')`, 'in', only.ruleIds);
    const rows = await q.groupBy('state').execute();
    const by = new Map(rows.map((r) => [r.state, Number(r.n)]));
    return { queued: by.get('created') ?? 0, active: by.get('active') ?? 0, completed: by.get('completed') ?? 0, failed: by.get('failed') ?? 0 };
  }

  async failed(limit = 100, only?: JobFilter): Promise<FailedJob[]> {
    if (only?.ruleIds.length === 0) return [];
    let q = this.store.db.selectFrom('online_jobs').selectAll().where('queue', '=', this.queue).where('state', '=', 'failed');
    if (only) q = q.where(sql<string>`json_extract(data, '$.ruleId')`, 'in', only.ruleIds);
    const rows = await q.orderBy('updated_at', 'desc').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, key: r.key, data: JSON.parse(r.data) as Record<string, unknown>, attempts: Number(r.attempts), error: r.last_error, failedAt: r.updated_at }));
  }

  async retry(id: string): Promise<boolean> {
    const result = await this.store.db
      .updateTable('online_jobs')
      .set({ state: 'created', attempts: 0, run_after_ms: this.now(), updated_at: new Date(this.now()).toISOString() })
      .where('id', '=', id)
      .where('queue', '=', this.queue)
      .where('state', '=', 'failed')
      .executeTakeFirst();
    this.wake?.();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Drops completed jobs older than `ms`. */
  async prune(ms = 7 * 24 * 3600_000): Promise<void> {
    await this.store.db.deleteFrom('online_jobs').where('queue', '=', this.queue).where('state', '=', 'completed').where('updated_at', '<', new Date(this.now() - ms).toISOString()).execute();
  }
}
