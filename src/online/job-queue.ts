/**
 * The port background work goes through (DESIGN.md §4 Storage): the embedded queue in the SQLite
 * store on a laptop, pg-boss on PostgreSQL when several `evalops worker` processes share the work.
 * Delivery is at least once: a job whose worker dies is handed out again after its lease, so handlers
 * must be idempotent (online scoring is: a trace's scores are written once, src/store/online-score-repository.ts).
 */

export interface QueuedJob {
  /** Deduplicates: a job whose key is already queued (or done, on the embedded queue) is not added again. */
  readonly key: string;
  readonly data: Record<string, unknown>;
  /** Not handed out before this time. */
  readonly startAfterMs?: number;
}

export interface JobContext {
  readonly id: string;
  readonly key: string;
  readonly data: Record<string, unknown>;
  /** 1 on the first try. */
  readonly attempt: number;
}

export interface JobQueueCounts {
  readonly queued: number;
  readonly active: number;
  readonly completed: number;
  /** In the dead-letter state: out of retries. */
  readonly failed: number;
}

export interface FailedJob {
  readonly id: string;
  readonly key: string;
  readonly data: Record<string, unknown>;
  readonly attempts: number;
  readonly error: string | null;
  readonly failedAt: string;
}

/** Jobs of these online rules only (`data.ruleId`): what a project's key may see of the instance's queue. */
export interface JobFilter {
  readonly ruleIds: readonly string[];
}

export interface JobQueueOptions {
  /** Retries after the first try before a job is dead-lettered. */
  readonly retryLimit?: number;
  /** First retry delay; doubles on each retry. */
  readonly retryDelaySeconds?: number;
  /** How long a worker may hold a job before it is presumed dead and the job handed out again. */
  readonly leaseSeconds?: number;
}

export interface WorkOptions {
  readonly concurrency?: number;
  /** Idle polling interval. */
  readonly pollMs?: number;
  readonly onError?: (error: unknown, job: JobContext) => void;
}

export interface JobQueue {
  readonly kind: 'embedded' | 'pg-boss';
  send(jobs: readonly QueuedJob[]): Promise<void>;
  /** Starts handing jobs to `handler`; a throw is a failed try (retried with backoff, then dead-lettered). */
  work(handler: (job: JobContext) => Promise<void>, options?: WorkOptions): Promise<void>;
  /** Stops taking jobs and waits for the ones in hand. */
  stop(): Promise<void>;
  /** Jobs by state; with `only`, only the jobs of those online rules (a project's view of the shared queue). */
  counts(only?: JobFilter): Promise<JobQueueCounts>;
  failed(limit?: number, only?: JobFilter): Promise<FailedJob[]>;
  /** Puts a dead-lettered job back in the queue; false when no such failed job. */
  retry(id: string): Promise<boolean>;
}

export const ONLINE_SCORE_QUEUE = 'online-score';
