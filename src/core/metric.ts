import { z } from 'zod';
import { ScorerConfigSchema } from './scorer-config.js';
import { isJudgeConfig } from './judge-scorer-types.js';

/**
 * A metric (DESIGN.md §3): a named quality dimension with a scorer, an owner, a failure class and a
 * lifecycle state. Run-level metrics (`error_rate`, `latency_p95`, `cost_per_success`) are built in and
 * computed from the results, never configured.
 */

/** What kind of failure a metric catches; gate rules may address a whole class. */
export const FAILURE_CLASSES = [
  'answer_quality',
  'tool_selection',
  'tool_arguments',
  'policy_boundary',
  'evidence_quality',
  'recovery_behavior',
  'cost',
  'latency',
] as const;
export const FailureClassSchema = z.enum(FAILURE_CLASSES);
export type FailureClass = z.infer<typeof FailureClassSchema>;

/**
 * Where a metric is in its life: `capability` (measures progress, not yet guarding releases),
 * `regression` (guards releases), `saturated` (always passes; a candidate to retire), `retired`.
 */
export const LIFECYCLES = ['capability', 'regression', 'saturated', 'retired'] as const;
export const LifecycleSchema = z.enum(LIFECYCLES);
export type Lifecycle = z.infer<typeof LifecycleSchema>;

/** Run metrics every run has; gate rules may name them without configuring them. */
export const BUILT_IN_METRICS = ['error_rate', 'latency_p95', 'cost_per_success'] as const;
export const BuiltInMetricSchema = z.enum(BUILT_IN_METRICS);
export type BuiltInMetric = z.infer<typeof BuiltInMetricSchema>;

/** @example isBuiltInMetric('latency_p95') // true */
export function isBuiltInMetric(name: string): name is BuiltInMetric {
  return (BUILT_IN_METRICS as readonly string[]).includes(name);
}

export const MetricNameSchema = z
  .string()
  .max(64)
  .regex(/^[a-z][a-z0-9_]*$/, 'metric names are lower-case letters, digits and _, starting with a letter, e.g. "cites_policy"');

/**
 * One configured metric. For `judge` and `human` scorers every `pass` label must be one of `labels`.
 * @example { name: 'right_tool', failureClass: 'tool_selection', scorer: { type: 'tool-called', name: '{{expected.tool}}' } }
 */
export const MetricSchema = z
  .strictObject({
    name: MetricNameSchema,
    description: z.string().optional(),
    /** Who answers for the metric: an e-mail address or a team name. */
    owner: z.string().min(1).optional(),
    failureClass: FailureClassSchema.optional(),
    lifecycle: LifecycleSchema.default('regression'),
    /**
     * A metric whose whole-dataset drop matters most: the gate spends α on it first (graphical
     * procedure, stats/graphical-procedure.ts) and passes it on to the rest when it is rejected.
     */
    primary: z.boolean().optional(),
    scorer: ScorerConfigSchema,
  })
  .superRefine((metric, ctx) => {
    const { scorer } = metric;
    if (!isJudgeConfig(scorer) && scorer.type !== 'human') return;
    scorer.pass.forEach((label, i) => {
      if (!scorer.labels.includes(label)) {
        ctx.addIssue({
          code: 'custom',
          path: ['scorer', 'pass', i],
          message: `pass label "${label}" is not one of labels: ${scorer.labels.join(', ')}`,
        });
      }
    });
  });
export type Metric = z.infer<typeof MetricSchema>;
export type MetricInput = z.input<typeof MetricSchema>;
