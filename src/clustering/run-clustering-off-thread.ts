import { EvalOpsError } from '../core/errors.js';
import { spawnModuleWorker } from '../workers/spawn-module-worker.js';
import type { ClusteringArgs, ClusteringJob, ClusteringReply, ClusteringResult } from './clustering-jobs.js';

/**
 * Clustering (triage's failure clusters, coverage by clusters) runs in a worker thread, one job at a
 * time per process: measured, 10,000 failing items of long texts cost 8 s of CPU and 50,000 cost
 * 70 s — on the server's event loop that would stall every request, OTLP ingest included, for as
 * long, at the bidding of one viewer's request. Off the loop, the server keeps answering; one job at
 * a time keeps a core for everything else. Jobs wait their turn in order (a page and an API call
 * asking at once both get their answer); past MAX_WAITING waiting jobs, a request is refused with
 * 503 (retryable: "try again in a few seconds") rather than queued with its items in memory. The
 * worker's heap is capped (CLUSTERING_HEAP_MIB); a job that outgrows it fails with a clear error, not
 * the server.
 */

export const CLUSTERING_HEAP_MIB = 1536;

const MAX_RUNNING = 1;
const MAX_WAITING = 8;
let running = 0;
const waiting: (() => void)[] = [];

export async function runClusteringOffThread<J extends ClusteringJob>(job: J, ...args: ClusteringArgs<J>): Promise<ClusteringResult<J>> {
  if (running >= MAX_RUNNING) {
    if (waiting.length >= MAX_WAITING) {
      throw new EvalOpsError('infrastructure', `${running + waiting.length} clusterings (triage or coverage by clusters) are running or waiting on this server; try again in a few seconds`, { retryable: true });
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else running++;
  try {
    return (await runInWorker(job, args)) as ClusteringResult<J>;
  } finally {
    // The slot passes straight to the next waiter (running stays counted), else it frees.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

function runInWorker(job: ClusteringJob, args: readonly unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = spawnModuleWorker(import.meta.url, 'clustering-worker', { workerData: { job, args }, resourceLimits: { maxOldGenerationSizeMb: CLUSTERING_HEAP_MIB } });
    let settled = false;
    const settle = (f: () => void): void => {
      if (settled) return;
      settled = true;
      f();
      void worker.terminate();
    };
    worker.once('message', (reply: ClusteringReply) => settle(() => (reply.ok ? resolve(reply.result) : reject(new EvalOpsError('internal', `clustering failed: ${reply.message}`)))));
    worker.once('error', (e: Error & { code?: string }) =>
      settle(() =>
        reject(
          e.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new EvalOpsError('input', `clustering needed more than ${CLUSTERING_HEAP_MIB} MiB; cluster fewer items (a smaller --limit or --max-traces)`)
            : new EvalOpsError('internal', `the clustering worker failed: ${e.message}`, { cause: e }),
        ),
      ),
    );
    worker.once('exit', (code) => settle(() => reject(new EvalOpsError('internal', `the clustering worker exited with code ${code} before answering`))));
  });
}
