import { EvalOpsError } from '../core/errors.js';
import { rubricLabels } from '../core/review/rubric.js';
import type { GoldItem, GoldSetRecord } from '../store/gold-set-repository.js';
import type { Store } from '../store/store.js';
import { projectIdOf } from './review-scope.js';

/**
 * Freezes the settled items of a metric's queues as its next gold set version. Every queue must be
 * of that metric and share one rubric (the labels the gold set is in). An item settled in two queues
 * with different labels is refused: it must be adjudicated to one truth first.
 */
export async function freezeGoldSet(store: Store, projectName: string, metric: string, queueRefs: readonly string[], actor: string): Promise<{ goldSet: GoldSetRecord; created: boolean }> {
  const projectId = await projectIdOf(store, projectName);
  const queues = queueRefs.length > 0 ? await Promise.all(queueRefs.map((q) => store.reviews.getQueue(projectId, q))) : (await store.reviews.listQueues(projectId)).filter((q) => q.metric === metric);
  if (queues.length === 0) throw new EvalOpsError('not_found', `metric ${metric} has no review queue; create one with \`evalops review queues create\``);
  const other = queues.find((q) => q.metric !== metric);
  if (other) throw new EvalOpsError('input', `queue "${other.name}" reviews metric ${other.metric}, not ${metric}`, { location: '--queue' });
  const rubric = queues[0]!.rubric;
  const labels = rubricLabels(rubric).join('\u0000');
  const mismatch = queues.find((q) => rubricLabels(q.rubric).join('\u0000') !== labels);
  if (mismatch) throw new EvalOpsError('input', `queue "${mismatch.name}" has other labels than "${queues[0]!.name}"; a gold set has one rubric`, { location: '--queue' });
  const byKey = new Map<string, GoldItem>();
  for (const queue of queues) {
    for (const item of await store.reviews.items(queue.id, { settledOnly: true })) {
      const truth = item.truth as string;
      const seen = byKey.get(item.key);
      if (seen && seen.label !== truth) throw new EvalOpsError('conflict', `item ${item.key} is settled as "${seen.label}" in one queue and "${truth}" in "${queue.name}"; adjudicate it first`);
      byKey.set(item.key, { key: item.key, payload: item.payload, label: truth });
    }
  }
  return store.goldSets.freeze(projectId, metric, rubric, [...byKey.values()], actor, async (trx, goldSet) => {
    await store.audit.append(projectId, { actor, action: 'gold.freeze', entityType: 'gold_set', entityId: goldSet.id, payload: { metric, version: goldSet.version, items: goldSet.itemCount, hash: goldSet.hash, queues: queues.map((q) => q.name) } }, trx);
  });
}
