import { z } from 'zod';
import { FailureClassSchema, LifecycleSchema, MetricNameSchema } from '../metric.js';

/**
 * What the config says of a metric now — owner, failure class, lifecycle — which a gate decision uses
 * over what the candidate run recorded when it was scored (an owner handed over, a metric retired
 * since). The CLI sends the config's metrics; without them the run's snapshot is used as it is.
 * @example { name: 'cites_policy', owner: 'product@example.com', lifecycle: 'regression' }
 */
export const MetricAnnotationSchema = z.object({
  name: MetricNameSchema,
  owner: z.string().min(1).max(320).optional(),
  failureClass: FailureClassSchema.optional(),
  lifecycle: LifecycleSchema.optional(),
});
export type MetricAnnotation = z.infer<typeof MetricAnnotationSchema>;
