import type { Store } from '../store/store.js';
import { EmbeddedJobQueue } from './embedded-job-queue.js';
import { ONLINE_SCORE_QUEUE, type JobQueue, type JobQueueOptions } from './job-queue.js';
import { PgBossJobQueue } from './pg-boss-job-queue.js';

/**
 * The online scoring queue for a store: the embedded table queue on SQLite, pg-boss on PostgreSQL
 * (in schema `pgboss`, or `<schema>_pgboss` beside a store opened in its own schema).
 */
export function openJobQueue(store: Store, options: JobQueueOptions & { now?: () => number } = {}): JobQueue {
  if (store.dialect === 'postgres') {
    return new PgBossJobQueue({ url: store.location.url, schema: store.location.schema ? `${store.location.schema}_pgboss` : 'pgboss', queue: ONLINE_SCORE_QUEUE, ...options });
  }
  return new EmbeddedJobQueue(store, ONLINE_SCORE_QUEUE, options, options.now);
}
