import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import type { FailureCluster } from '../core/triage/triage-cluster.js';
import type { ModelPort } from '../models/model-port.js';
import type { ClusterNamer } from './triage-service.js';

/**
 * Cluster names from a model: a short label for each failure mode, from its distinguishing terms and
 * representative items, as structured output (never scraped from prose). An answer that breaks the
 * schema is asked once more; a second bad answer leaves the cluster its terms as its name and is
 * reported through `onProblem`, so a model can make a name better but never break a triage.
 */

export const ClusterLabelSchema = z.strictObject({
  name: z.string().trim().min(3).max(60).describe('a short label of the failure mode, 2–6 words, e.g. "missing refund policy citation"'),
});

const SYSTEM = 'You name failure modes of an AI application for an on-call engineer. Answer with a short, specific label (2–6 words) of what goes wrong in the examples; no punctuation at the end.';

export function modelClusterNamer(models: ModelPort, model: string, onProblem: (cluster: FailureCluster, problem: string) => void = () => undefined): ClusterNamer {
  return async (cluster) => {
    const examples = cluster.representatives.map((r, i) => `${i + 1}. input: ${r.input.slice(0, 200)}\n   output: ${r.output.slice(0, 200)}\n   why it failed: ${r.reason.slice(0, 200)}`).join('\n');
    const prompt = `Distinguishing terms: ${cluster.terms.join(', ') || '(none)'}\nFailing metrics: ${cluster.failingMetrics.map((m) => m.metric).join(', ')}\n${cluster.size} items; the closest to the centre:\n${examples}`;
    let last = '';
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const { object } = await models.completeObject({ model, system: SYSTEM, messages: [{ role: 'user', content: prompt }], schema: ClusterLabelSchema, schemaName: 'cluster_label', temperature: 0 });
        return object.name;
      } catch (e) {
        // Only an answer that breaks the schema is worth a second ask; an unreachable provider is not.
        if (!(e instanceof EvalOpsError && e.code === 'provider' && !e.retryable)) throw e;
        last = e.message;
      }
    }
    onProblem(cluster, `model ${model} answered outside the label schema twice; kept the terms as the name (${last})`);
    return undefined;
  };
}
