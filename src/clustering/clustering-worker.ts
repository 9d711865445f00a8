import { parentPort, workerData } from 'node:worker_threads';
import { CLUSTERING_JOBS, type ClusteringReply, type ClusteringRequest } from './clustering-jobs.js';

/** Worker thread entry: runs the one clustering job it was started with and posts its result. */
const request = workerData as ClusteringRequest;
let reply: ClusteringReply;
try {
  const run = CLUSTERING_JOBS[request.job] as (...args: readonly unknown[]) => unknown;
  reply = { ok: true, result: run(...request.args) };
} catch (e) {
  reply = { ok: false, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}
parentPort?.postMessage(reply);
