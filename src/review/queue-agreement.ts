import { agreementReport, type AgreementReport } from '../core/agreement/agreement-report.js';
import { rubricLabels } from '../core/review/rubric.js';
import type { Store } from '../store/store.js';
import { queueOf } from './review-scope.js';

/**
 * How far a queue's reviewers agree: percent agreement, Cohen's kappa (two reviewers; weighted for an
 * ordinal rubric), Fleiss' kappa, Krippendorff's alpha (missing labels allowed), per label, and the
 * items they disagree on (with each item's adjudication state).
 */
export async function queueAgreement(store: Store, projectName: string, queueRef: string): Promise<{ queue: string; metric: string; report: AgreementReport; adjudicated: readonly string[] }> {
  const { queue } = await queueOf(store, projectName, queueRef);
  const labels = await store.reviews.labels(queue.id);
  const report = agreementReport(
    labels.map((l) => ({ item: l.itemId, rater: l.reviewer, label: l.label })),
    { categories: rubricLabels(queue.rubric), ordinal: queue.rubric.ordinal },
  );
  const disputed = new Set(report.disagreements.map((d) => d.item));
  const adjudicated = (await store.reviews.items(queue.id, { settledOnly: true })).filter((i) => disputed.has(i.id) && i.truthBy !== 'consensus').map((i) => i.id);
  return { queue: queue.name, metric: queue.metric, report, adjudicated };
}
