import { z } from 'zod';
import { FailureClassSchema, isBuiltInMetric } from './metric.js';

/**
 * The `gate:` section of the config (DESIGN.md §5): which baseline a candidate run is compared with,
 * and the rules that turn scores into a release decision. Whether a rule's metric exists is checked
 * by the config schema, which knows the configured metrics.
 */

/** What a failed rule does to the release. `narrow` rolls out to `rolloutPercent` only. */
export const GATE_ACTIONS = ['block', 'require_approval', 'narrow'] as const;
export const GateActionSchema = z.enum(GATE_ACTIONS);
export type GateAction = z.infer<typeof GateActionSchema>;

/** The baseline of comparison: the last approved run of the project, or a run id. */
export const GateBaselineSchema = z.string().min(1).default('last-approved');

const CONDITIONS = ['min', 'max', 'noRegression', 'maxFailures'] as const;

/** The window of a `minCoverage` rule when it does not say: the last 7 days. */
export const DEFAULT_COVERAGE_DAYS = 7;

/**
 * What a `min`/`max` rule bounds: `mean`, the pass rate over all trials (the default); `pass^k`, the
 * share of examples where every one of the run's k trials passed; `pass@k`, where at least one did.
 */
export const RULE_AGGREGATES = ['mean', 'pass^k', 'pass@k'] as const;
export const RuleAggregateSchema = z.enum(RULE_AGGREGATES);
export type RuleAggregate = z.infer<typeof RuleAggregateSchema>;

/**
 * One gate rule on a metric (configured or built-in) or on every metric of a failure class.
 * - `min` / `max`: bounds on the value (a pass rate 0..1; for built-ins a rate, milliseconds or USD).
 * - `noRegression`: the candidate must not be worse than the baseline (by more than `minEffect`).
 * - `maxFailures`: at most that many failed results.
 * - `perSlice`: apply the rule to every slice as well as overall.
 * - `slicePrefix`: with `perSlice`, only the slices whose name starts with it — `cluster:` holds the
 *   failure modes `evalops triage --promote` made into regression sets, so
 *   `{ metric: m, noRegression: true, perSlice: true, slicePrefix: 'cluster:' }` demands that none comes back.
 * - `useInterval`: judge by the confidence interval instead of the point estimate.
 * - `aggregate`: with `min`/`max`, bound `pass^k` or `pass@k` over the run's repeats instead of the mean.
 * - `minCoverage` (0..1), with `days` (default 7): a rule on the candidate's dataset rather than a
 *   metric — the dataset must cover at least that share of the production traffic of the last `days`
 *   days (`evalops datasets coverage`). It names no metric or failure class and takes no other
 *   condition. With no (sliced) production traffic in the window it is not evaluated: a `block`
 *   rule then requires approval, like every blocking rule that cannot be evaluated.
 * @example { metric: 'right_tool', min: 0.95, action: 'require_approval' }
 * @example { minCoverage: 0.8, days: 7, action: 'require_approval' }
 */
export const GateRuleSchema = z
  .strictObject({
    metric: z.string().min(1).optional(),
    failureClass: FailureClassSchema.optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    noRegression: z.boolean().default(false),
    minEffect: z.number().nonnegative().optional(),
    perSlice: z.boolean().default(false),
    slicePrefix: z.string().min(1).max(200).optional(),
    maxFailures: z.number().int().nonnegative().optional(),
    useInterval: z.boolean().default(false),
    aggregate: RuleAggregateSchema.optional(),
    minCoverage: z.number().min(0).max(1).optional(),
    days: z.number().int().min(1).max(365).optional(),
    action: GateActionSchema,
    /** Percent of traffic a narrowed rollout gets (1..99); required for and only for `narrow`. */
    rolloutPercent: z.number().int().min(1).max(99).optional(),
  })
  .superRefine((rule, ctx) => {
    const issue = (path: string, message: string): void => ctx.addIssue({ code: 'custom', path: [path], message });
    if (rule.days !== undefined && rule.minCoverage === undefined) issue('days', 'days is the window of a `minCoverage` rule; add `minCoverage` (0..1) or remove days');
    if (rule.minCoverage !== undefined) {
      const others: string[] = (['metric', 'failureClass', 'min', 'max', 'minEffect', 'slicePrefix', 'maxFailures', 'aggregate'] as const).filter((k) => rule[k] !== undefined);
      for (const k of ['noRegression', 'perSlice', 'useInterval'] as const) if (rule[k]) others.push(k);
      for (const k of others) issue(k, `a minCoverage rule is on the dataset's coverage of production, not on a metric: remove \`${k}\` or put it in a rule of its own`);
      narrowPercent(rule, issue);
      return;
    }
    if ((rule.metric === undefined) === (rule.failureClass === undefined)) {
      issue(rule.metric === undefined ? 'metric' : 'failureClass', 'a gate rule names exactly one of `metric` or `failureClass`');
    }
    const hasCondition = rule.min !== undefined || rule.max !== undefined || rule.noRegression || rule.maxFailures !== undefined;
    if (!hasCondition) issue('action', `a gate rule needs a condition: one of ${CONDITIONS.join(', ')}`);
    if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max) {
      issue('min', `min (${rule.min}) is greater than max (${rule.max})`);
    }
    const isRate = rule.metric === undefined || !isBuiltInMetric(rule.metric);
    for (const bound of ['min', 'max'] as const) {
      const value = rule[bound];
      if (isRate && value !== undefined && (value < 0 || value > 1)) {
        issue(bound, `${bound} is a pass rate between 0 and 1 (e.g. 0.95, not 95); got ${value}`);
      }
    }
    if (rule.aggregate !== undefined && rule.aggregate !== 'mean') {
      if (rule.min === undefined && rule.max === undefined) issue('aggregate', `aggregate ${rule.aggregate} applies only to a min or max rule`);
      if (rule.metric === undefined || isBuiltInMetric(rule.metric)) issue('aggregate', `aggregate ${rule.aggregate} applies only to a configured metric's pass rate`);
      if (rule.perSlice) issue('perSlice', `aggregate ${rule.aggregate} is computed over the whole dataset; perSlice is not supported with it`);
    }
    if (rule.slicePrefix !== undefined && !rule.perSlice) issue('slicePrefix', 'slicePrefix chooses the slices of a perSlice rule: add `perSlice: true`');
    if (rule.minEffect !== undefined && !rule.noRegression) issue('minEffect', 'minEffect applies only with `noRegression: true`');
    narrowPercent(rule, issue);
  });
export type GateRule = z.infer<typeof GateRuleSchema>;

function narrowPercent(rule: { readonly action: GateAction; readonly rolloutPercent?: number | undefined }, issue: (path: string, message: string) => void): void {
  if (rule.action === 'narrow' && rule.rolloutPercent === undefined) {
    issue('rolloutPercent', 'action `narrow` needs `rolloutPercent` (1..99), the share of traffic the narrowed release gets');
  }
  if (rule.action !== 'narrow' && rule.rolloutPercent !== undefined) {
    issue('rolloutPercent', `rolloutPercent applies only to action \`narrow\`, not \`${rule.action}\``);
  }
}
export type GateRuleInput = z.input<typeof GateRuleSchema>;

/**
 * The built-in error-rate rule, always on: a significant rise of the candidate's target-error rate
 * versus the baseline (one-sided exact McNemar, α 0.01), or a candidate that errored on every example,
 * takes this action. It cannot be turned off — a release that fails to answer more often than the one
 * it replaces is never silently approved — only softened to `require_approval` or `narrow`.
 * @example { action: 'require_approval' }
 */
export const ErrorRateRuleSchema = z
  .strictObject({
    action: GateActionSchema.default('block'),
    rolloutPercent: z.number().int().min(1).max(99).optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.action === 'narrow' && rule.rolloutPercent === undefined) {
      ctx.addIssue({ code: 'custom', path: ['rolloutPercent'], message: 'action `narrow` needs `rolloutPercent` (1..99), the share of traffic the narrowed release gets' });
    }
    if (rule.action !== 'narrow' && rule.rolloutPercent !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['rolloutPercent'], message: `rolloutPercent applies only to action \`narrow\`, not \`${rule.action}\`` });
    }
  });
export type ErrorRateRule = z.infer<typeof ErrorRateRuleSchema>;
/** What the error-rate rule does when the config does not say: block. */
export const DEFAULT_ERROR_RATE_RULE: ErrorRateRule = { action: 'block' };

export const GateConfigSchema = z.strictObject({
  baseline: GateBaselineSchema,
  /** The built-in error-rate rule's action (absent: block; kept absent so old policies hash the same). */
  errorRate: ErrorRateRuleSchema.optional(),
  /**
   * What an `approve` does to the candidate's release beyond approving it: `none` (default; promote by
   * hand), `canary` (to `percent`, 1..99, of the track at once) or `live`. Resolvers follow within
   * their refresh interval; the promotion is audited and an owner reverses it with a rollback.
   */
  onApprove: z
    .strictObject({ promote: z.enum(['none', 'canary', 'live']), percent: z.number().int().min(1).max(99).optional() })
    .superRefine((o, ctx) => {
      if (o.promote === 'canary' && o.percent === undefined) ctx.addIssue({ code: 'custom', path: ['percent'], message: 'promote: canary needs percent (1..99), the canary share' });
      if (o.promote !== 'canary' && o.percent !== undefined) ctx.addIssue({ code: 'custom', path: ['percent'], message: `percent applies only to promote: canary, not ${o.promote}` });
    })
    .optional(),
  /** Who may override any decision (besides the owners of the metrics that failed). */
  admins: z.array(z.string().min(1)).default([]),
  rules: z.array(GateRuleSchema).min(1, 'a gate needs at least one rule'),
});
export type GateConfig = z.infer<typeof GateConfigSchema>;
export type GateConfigInput = z.input<typeof GateConfigSchema>;
