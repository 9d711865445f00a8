import { z } from 'zod';
import { GateActionSchema } from '../gate-config.js';
import { ImputedPairsSchema, MetricComparisonSchema } from '../comparison.js';
import { RunErrorsSchema } from '../error-rate.js';
import { GateVisibilitySchema } from '../plan/gate-visibility.js';
import { GateModeSchema, SubsetDecisionSchema } from './pr-subset.js';
import { CoverageMeasureSchema } from '../coverage/coverage-measure.js';

/** A gate decision's outcome, in precedence order: block > require_approval > narrow > approve. */
export const GateOutcomeSchema = z.enum(['approve', 'narrow', 'require_approval', 'block']);
export type GateOutcome = z.infer<typeof GateOutcomeSchema>;

export const OUTCOME_PRECEDENCE: Readonly<Record<GateOutcome, number>> = { approve: 0, narrow: 1, require_approval: 2, block: 3 };

/** Exit codes of DESIGN.md §5: 0 approve, 1 block, 3 require approval or narrowed rollout. */
export function exitCodeForOutcome(outcome: GateOutcome): 0 | 1 | 3 {
  return outcome === 'approve' ? 0 : outcome === 'block' ? 1 : 3;
}

export const ExampleEvidenceSchema = z.object({
  exampleId: z.string(),
  slices: z.array(z.string()),
  input: z.unknown(),
  expected: z.unknown().optional(),
  candidateOutput: z.unknown(),
  baselineOutput: z.unknown().optional(),
  reason: z.string().optional(),
});
export type ExampleEvidence = z.infer<typeof ExampleEvidenceSchema>;

/**
 * One rule applied to one metric (and, with perSlice, one slice). `status` is `failed` when the rule's
 * condition is violated, `passed` when it holds, `not_evaluated` when it cannot be (no baseline, no
 * scores, retired metric) — with the reason in `message`.
 */
export const FindingSchema = z.object({
  rule: z.number().int(),
  ruleText: z.string(),
  metric: z.string(),
  slice: z.string().nullable(),
  /**
   * `errorRate`: the built-in error-rate rule (rule -1), which every decision evaluates;
   * `minCoverage`: a rule on the dataset's coverage of production (metric `coverage`).
   */
  condition: z.enum(['min', 'max', 'noRegression', 'maxFailures', 'errorRate', 'minCoverage']),
  status: z.enum(['passed', 'failed', 'not_evaluated']),
  /** The rule's action, and the action it actually takes (an uncalibrated judge only asks approval). */
  ruleAction: GateActionSchema,
  action: GateActionSchema.nullable(),
  rolloutPercent: z.number().int().nullable(),
  message: z.string(),
  owner: z.string().nullable(),
  evidence: z.object({
    value: z.number().nullable().optional(),
    ci95: z.tuple([z.number(), z.number()]).nullable().optional(),
    bound: z.number().optional(),
    failures: z.number().int().optional(),
    comparison: MetricComparisonSchema.optional(),
    /** A minCoverage rule's window: traces, sliced traces, covered share (`value`). */
    coverage: z.object({ days: z.number().int(), traces: z.number().int(), sliced: z.number().int() }).optional(),
    examples: z.array(ExampleEvidenceSchema).optional(),
    /** The error-rate rule's figures: rates per side, examples that newly errored / stopped erroring, one-sided p. */
    errorRate: z
      .object({ baseline: z.number().nullable(), candidate: z.number().nullable(), newErrors: z.number().int().nullable(), fixedErrors: z.number().int().nullable(), pValue: z.number().nullable() })
      .optional(),
  }),
});
export type Finding = z.infer<typeof FindingSchema>;

export const GateEvaluationSchema = z.object({
  outcome: GateOutcomeSchema,
  rolloutPercent: z.number().int().nullable(),
  findings: z.array(FindingSchema),
  /** Owners of the metrics whose rules failed (their approval is what require_approval asks for). */
  owners: z.array(z.string()),
  warnings: z.array(z.string()),
});
export type GateEvaluation = z.infer<typeof GateEvaluationSchema>;

/** The stored and printed gate decision (`evalops gate --json`). */
export const GateDecisionDocumentSchema = z.object({
  decisionId: z.string(),
  project: z.string(),
  createdAt: z.string(),
  outcome: GateOutcomeSchema,
  rolloutPercent: z.number().int().nullable(),
  exitCode: z.number().int(),
  candidate: z.object({ runId: z.string(), variant: z.string(), dataset: z.object({ name: z.string(), version: z.string() }) }),
  baseline: z.object({ runId: z.string().nullable(), chosenBy: z.enum(['last-approved', 'explicit', 'none']) }),
  /**
   * The policy the decision applied: a hash of the gate section, its rules as text, and its admins —
   * who may override this decision besides the owners of the failed metrics (kept with the decision,
   * so a server without the config knows them). Decisions recorded before admins were kept have none.
   */
  policy: z.object({ hash: z.string(), rules: z.array(z.string()), admins: z.array(z.string()).default([]) }),
  summary: z.string(),
  findings: z.array(FindingSchema),
  owners: z.array(z.string()),
  warnings: z.array(z.string()),
  comparisons: z.array(MetricComparisonSchema),
  /** `pr`: a gate on a subset run, which blocks only on effects the subset can detect (absent on older decisions: full). */
  mode: GateModeSchema.optional(),
  /** The candidate's subset and each rule's MDE on it, when the candidate ran on one. */
  subset: SubsetDecisionSchema.optional(),
  /** What the gate can see: the planner's MDE per noRegression rule and slice (decisions before it have none). */
  visibility: GateVisibilitySchema.optional(),
  /**
   * The candidate dataset's coverage of production (`evalops datasets coverage`), one per window the
   * decision measured — the scorecard's window (`coverage.days`, default 7) and each minCoverage
   * rule's. Absent on decisions recorded before coverage was measured.
   */
  coverage: z.array(CoverageMeasureSchema).optional(),
  pairing: z.object({ paired: z.number().int(), baselineOnly: z.number().int(), candidateOnly: z.number().int() }).nullable(),
  /**
   * Target errors per side (counts, most frequent messages) and the error-rate test. Absent in
   * decisions recorded before errors were reported.
   */
  errors: z
    .object({
      baseline: RunErrorsSchema.nullable(),
      candidate: RunErrorsSchema,
      comparison: z.object({ n: z.number().int(), newErrors: z.number().int(), fixedErrors: z.number().int(), pValue: z.number(), rose: z.boolean() }).nullable(),
    })
    .optional(),
  metrics: z.record(
    z.string(),
    z.object({
      owner: z.string().nullable(),
      primary: z.boolean().optional(),
      failureClass: z.string().nullable(),
      lifecycle: z.string().nullable(),
      scorerType: z.string(),
      calibrated: z.boolean(),
      calibration: z.enum(['calibrated', 'uncalibrated', 'stale']).optional(),
      /** Pass rate over scored results (errors apart; rules count them as failures, see `errored`). */
      passRate: z.number().nullable(),
      n: z.number().int(),
      /** The candidate's results of this metric with a target or scorer error, counted as failed by the rules. */
      errored: z.number().int().optional(),
      /** Pairs imputed as fails per side in the overall comparison (without a baseline: the candidate's errored). */
      imputed: ImputedPairsSchema.optional(),
    }),
  ),
});
export type GateDecisionDocument = z.infer<typeof GateDecisionDocumentSchema>;
