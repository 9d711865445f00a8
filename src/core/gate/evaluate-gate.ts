import { inRuleSlices } from './rule-slices.js';
import type { MetricComparison } from '../comparison.js';
import type { ErrorComparison, RunErrors } from '../error-rate.js';
import { coverageGap, type CoverageMeasure } from '../coverage/coverage-measure.js';
import { DEFAULT_COVERAGE_DAYS, DEFAULT_ERROR_RATE_RULE, type ErrorRateRule, type GateAction, type GateRule } from '../gate-config.js';
import { isBuiltInMetric } from '../metric.js';
import type { RunSummary } from '../run.js';
import { wilsonInterval } from '../stats.js';
import { OUTCOME_PRECEDENCE, type Finding, type GateEvaluation, type GateOutcome } from './gate-decision.js';
import { ruleText } from './rule-text.js';
import { aggregateFinding } from './aggregate-finding.js';
import { isJudgeScorerType } from '../judge-scorer-types.js';

/** What the gate knows of each configured metric. */
export interface GateMetricInfo {
  readonly name: string;
  readonly owner?: string;
  readonly failureClass?: string;
  readonly lifecycle?: string;
  readonly scorerType: string;
  /** A judge is calibrated only when its latest calibration against a human gold set was of this version and met the thresholds. */
  readonly calibrated: boolean;
  /** For a judge: calibrated, uncalibrated, or stale (calibrated for another version). */
  readonly calibration?: 'calibrated' | 'uncalibrated' | 'stale';
}

/** Pass counts of the candidate per metric and slice (for `min`/`max` with `perSlice`). */
export type SliceCounts = Readonly<Record<string, Readonly<Record<string, { readonly passed: number; readonly n: number }>>>>;

export interface GateEvaluationInput {
  readonly rules: readonly GateRule[];
  readonly metrics: readonly GateMetricInfo[];
  readonly candidate: RunSummary;
  readonly candidateSlices: SliceCounts;
  /** Paired comparisons with the baseline (overall and per slice); null when there is no baseline. */
  readonly comparisons: readonly MetricComparison[] | null;
  /** Recomputes a comparison's verdict with a rule's own minimum effect. */
  readonly regressed: (comparison: MetricComparison, minEffect: number) => boolean;
  /**
   * Target errors: the error-rate comparison with the baseline (null without one) and the
   * candidate's own counts. Absent: the candidate's result counts from its summary.
   */
  readonly errors?: { readonly comparison: ErrorComparison | null; readonly candidate: RunErrors };
  /** The built-in error-rate rule's action (default block). */
  readonly errorRate?: ErrorRateRule;
  /**
   * A PR gate on a subset: a `min`/`max` bound with an interval blocks only when the whole 95%
   * interval lies beyond it (as with `useInterval`); a point estimate beyond it whose interval still
   * reaches the bound is "not detectable on the PR subset" and passes — the full suite decides on main.
   */
  readonly prMode?: boolean;
  /** The candidate dataset's coverage of production, per window (days), for `minCoverage` rules. */
  readonly coverage?: readonly CoverageMeasure[];
}

/** `rule` of the built-in error-rate finding, which is no rule of the policy. */
export const BUILT_IN_RULE = -1;

type Condition = Exclude<Finding['condition'], 'errorRate' | 'minCoverage'>;
const CONDITIONS: readonly Condition[] = ['min', 'max', 'noRegression', 'maxFailures'];
type MetricCounts = { readonly passed: number; readonly failed: number; readonly imputed: number; readonly n: number };

/**
 * Evaluates every rule of a gate policy against a candidate run (and its comparison with the
 * baseline) and combines the findings into one outcome: block > require_approval > narrow > approve.
 * Pure: the caller loads the data and attaches example evidence afterwards.
 *
 * - `min` / `max` judge the pass rate (built-ins: their own unit); with `useInterval` a bound is
 *   violated only when the whole 95% interval lies beyond it, so noise alone never trips it.
 * - `noRegression` fails when the paired comparison says `regressed` (adjusted p < 0.05, interval
 *   excluding 0, and a drop larger than `minEffect` and the trial-noise floor).
 * - `maxFailures` counts failed results of the metric, or of every metric of the failure class.
 * - A rule on an uncalibrated judge can only ask for approval: its failure — or its having no scores
 *   at all — gives `require_approval`, never a block and never a silent pass.
 * - Retired metrics do not gate. Rules on metrics without an owner are warned about.
 * - Missing results never help: a target-errored result or an errored score counts as a failed
 *   result of the metric for `min`, `max` and `maxFailures` (comparisons arrive imputed already).
 * - The built-in error-rate rule is always evaluated (errorRateFinding).
 * - `minCoverage` judges the dataset's covered share of the window's production traffic; with no
 *   traffic (or none carrying a slice attribute) it is not evaluated, with a warning.
 * - A rule with action `block` that could not be evaluated (other than `noRegression` for want of a
 *   baseline on a first gate), or a policy none of whose rules could be evaluated, requires approval
 *   at least: never a silent approve.
 */
export function evaluateGate(input: GateEvaluationInput): GateEvaluation {
  const info = new Map(input.metrics.map((m) => [m.name, m]));
  const findings: Finding[] = [];
  const warnings: string[] = [];

  input.rules.forEach((rule, index) => {
    if (rule.minCoverage !== undefined) {
      findings.push(coverageFinding(rule, index, input.coverage ?? [], warnings));
      return;
    }
    const targets = rule.metric !== undefined ? [rule.metric] : input.metrics.filter((m) => m.failureClass === rule.failureClass).map((m) => m.name);
    const text = ruleText(rule);
    const live = targets.filter((name) => {
      if (info.get(name)?.lifecycle !== 'retired') return true;
      warnings.push(`rule ${index + 1} (${text}): metric ${name} is retired and no longer gates`);
      return false;
    });
    for (const name of live) {
      const meta = info.get(name);
      if (meta && !meta.owner) warnings.push(`rule ${index + 1} (${text}) gates on metric ${name}, which has no owner`);
    }
    for (const condition of CONDITIONS) {
      if (!hasCondition(rule, condition)) continue;
      if (condition === 'maxFailures' && rule.failureClass !== undefined) {
        findings.push(classFailures(rule, index, text, live, input, info));
        continue;
      }
      for (const name of live) findings.push(...evaluateCondition(rule, index, text, condition, name, input, info.get(name)));
    }
  });

  const guarded = guardUnevaluated(findings, input.comparisons === null, warnings);
  findings.splice(0, findings.length, ...guarded);
  findings.push(errorRateFinding(input, warnings));

  let outcome: GateOutcome = 'approve';
  let rolloutPercent: number | null = null;
  const owners = new Set<string>();
  for (const f of findings) {
    if (f.action === null) continue;
    const o: GateOutcome = f.action;
    if (OUTCOME_PRECEDENCE[o] > OUTCOME_PRECEDENCE[outcome]) outcome = o;
    if (o === 'narrow' && f.rolloutPercent !== null) rolloutPercent = rolloutPercent === null ? f.rolloutPercent : Math.min(rolloutPercent, f.rolloutPercent);
    if (f.owner) owners.add(f.owner);
  }
  if (input.comparisons === null && input.rules.some((r) => r.noRegression)) {
    warnings.push('no approved baseline: noRegression rules were not evaluated');
  }
  return { outcome, rolloutPercent: outcome === 'narrow' ? rolloutPercent : null, findings, owners: [...owners].sort(), warnings };
}

function hasCondition(rule: GateRule, condition: Condition): boolean {
  if (condition === 'noRegression') return rule.noRegression;
  return rule[condition] !== undefined;
}

function evaluateCondition(
  rule: GateRule,
  index: number,
  text: string,
  condition: Condition,
  metric: string,
  input: GateEvaluationInput,
  meta: GateMetricInfo | undefined,
): Finding[] {
  const base = { rule: index, ruleText: text, metric, condition, ruleAction: rule.action, owner: meta?.owner ?? null };
  const uncalibratedJudge = isJudgeScorerType(meta?.scorerType ?? '') && meta?.calibrated !== true;
  const act = (failed: boolean): Pick<Finding, 'action' | 'rolloutPercent'> => {
    if (!failed) return { action: null, rolloutPercent: null };
    const action: GateAction = uncalibratedJudge ? 'require_approval' : rule.action;
    return { action, rolloutPercent: action === 'narrow' ? (rule.rolloutPercent ?? null) : null };
  };
  const note = uncalibratedJudge ? ` (${meta?.calibration === 'stale' ? 'stale' : 'uncalibrated'} judge: can only require approval)` : '';

  if (isBuiltInMetric(metric)) {
    if (condition !== 'min' && condition !== 'max') {
      return [{ ...base, slice: null, status: 'not_evaluated', ...act(false), message: `${condition} is not defined for the built-in ${metric}`, evidence: {} }];
    }
    const { value, ci95 } = builtInValue(metric, input.candidate);
    return [boundFinding(base, null, condition, rule, value, ci95, act, '', input.prMode ?? false)];
  }

  const summary = input.candidate.metrics[metric];
  if (condition === 'noRegression') {
    if (input.comparisons === null) {
      return [{ ...base, slice: null, status: 'not_evaluated', ...act(false), message: 'no approved baseline to compare with', evidence: {} }];
    }
    const comps = input.comparisons.filter((c) => c.metric === metric && (c.slice === null || inRuleSlices(rule, c.slice)));
    if (comps.length === 0) {
      return [{ ...base, slice: null, status: 'not_evaluated', ...act(uncalibratedJudge), message: `no paired scores for ${metric}${note}`, evidence: {} }];
    }
    // A rule on cluster slices that finds none guards nothing: say so instead of passing quietly.
    const noSlice: Finding[] =
      rule.slicePrefix !== undefined && !comps.some((c) => c.slice !== null)
        ? [{ ...base, slice: null, status: 'not_evaluated', ...act(false), message: `${metric}: no paired slice starts with ${rule.slicePrefix}`, evidence: {} }]
        : [];
    return [...noSlice, ...comps.map((c) => {
      const failed = input.regressed(c, rule.minEffect ?? 0);
      const where = c.slice ? ` in slice ${c.slice}` : '';
      const message = failed
        ? `${metric} regressed${where}: ${pct(c.baseline)} → ${pct(c.candidate)} (Δ ${signedPts(c.delta)}, 95% CI ${interval(c.ci95)}, adjusted p ${fmtP(c.pAdjusted)})${note}`
        : `${metric}${where}: ${c.verdict} (Δ ${signedPts(c.delta)}, 95% CI ${interval(c.ci95)})`;
      return { ...base, slice: c.slice, status: failed ? ('failed' as const) : ('passed' as const), ...act(failed), message, evidence: { value: c.candidate, ci95: c.ci95, comparison: c } };
    })];
  }

  const counts = summary ? imputedCounts(summary, input.candidate.results.errors) : null;
  if (!summary || !counts || counts.n === 0) {
    // No scores at all: never a silent pass for a judge; for others, say it loudly.
    const message = `${metric} has no scored results${summary && summary.skipped > 0 ? ` (${summary.skipped} skipped)` : ''}${summary && summary.errored > 0 ? ` (${summary.errored} errored)` : ''}${note}`;
    return [{ ...base, slice: null, status: 'not_evaluated', ...act(uncalibratedJudge), message, evidence: {} }];
  }

  const imputedNote = counts.imputed ? ` (${counts.imputed} errored counted as failed)` : '';
  if (condition === 'maxFailures') {
    const failed = counts.failed > (rule.maxFailures ?? 0);
    return [{ ...base, slice: null, status: failed ? 'failed' : 'passed', ...act(failed), message: `${metric}: ${counts.failed} failed result(s)${imputedNote}, at most ${rule.maxFailures} allowed${failed ? note : ''}`, evidence: { failures: counts.failed } }];
  }

  if (rule.aggregate === 'pass^k' || rule.aggregate === 'pass@k') return [aggregateFinding(base, condition, rule, summary, input.candidate.repeat, act, note)];
  const rate = counts.imputed ? counts.passed / counts.n : summary.passRate;
  const ci = counts.imputed ? wilsonInterval(counts.passed, counts.n) : summary.ci95;
  const out = [boundFinding(base, null, condition, rule, rate, ci, act, note + imputedNote, input.prMode ?? false)];
  if (rule.perSlice) {
    for (const [slice, counts] of Object.entries(input.candidateSlices[metric] ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      if (counts.n === 0 || !inRuleSlices(rule, slice)) continue;
      out.push(boundFinding(base, slice, condition, rule, counts.passed / counts.n, wilsonInterval(counts.passed, counts.n), act, note, input.prMode ?? false));
    }
  }
  return out;
}

function boundFinding(
  base: Omit<Finding, 'slice' | 'status' | 'action' | 'rolloutPercent' | 'message' | 'evidence'>,
  slice: string | null,
  condition: 'min' | 'max',
  rule: GateRule,
  value: number | null,
  ci95: readonly [number, number] | null,
  act: (failed: boolean) => Pick<Finding, 'action' | 'rolloutPercent'>,
  note: string,
  prMode = false,
): Finding {
  const bound = rule[condition] as number;
  const where = slice ? ` in slice ${slice}` : '';
  if (value === null) {
    return { ...base, slice, status: 'not_evaluated', ...act(false), message: `${base.metric}${where} has no value`, evidence: { bound } };
  }
  // With useInterval (and on a PR subset) the bound is violated only when the whole interval lies beyond it.
  const byInterval = (rule.useInterval || prMode) && ci95 !== null;
  const judged = byInterval && ci95 ? (condition === 'min' ? ci95[1] : ci95[0]) : value;
  const failed = condition === 'min' ? judged < bound : judged > bound;
  const fmt = (x: number): string => (isBuiltInMetric(base.metric) ? builtInFormat(base.metric, x) : pct(x));
  const how = byInterval && ci95 ? `95% CI ${fmt(ci95[0])}–${fmt(ci95[1])}` : fmt(value);
  const pointBeyond = condition === 'min' ? value < bound : value > bound;
  const hidden = prMode && !rule.useInterval && !failed && pointBeyond;
  const message = hidden
    ? `${base.metric}${where} ${fmt(value)} is beyond ${condition} ${fmt(bound)} but not detectable on the PR subset: its ${how} reaches the bound (the full suite decides on main)`
    : `${base.metric}${where} ${how} ${failed ? 'violates' : 'meets'} ${condition} ${fmt(bound)}${failed ? note : ''}`;
  return { ...base, slice, status: failed ? 'failed' : 'passed', ...act(failed), message, evidence: { value, ci95: ci95 ? [ci95[0], ci95[1]] : null, bound } };
}

function classFailures(rule: GateRule, index: number, text: string, metrics: readonly string[], input: GateEvaluationInput, info: Map<string, GateMetricInfo>): Finding {
  let failures = 0;
  const failing: string[] = [];
  for (const m of metrics) {
    const summary = input.candidate.metrics[m];
    const f = summary ? imputedCounts(summary, input.candidate.results.errors).failed : 0;
    failures += f;
    if (f > 0) failing.push(m);
  }
  const failed = failures > (rule.maxFailures ?? 0);
  const owners = failing.map((m) => info.get(m)?.owner).filter((o): o is string => Boolean(o));
  const judgesOnly = failing.length > 0 && failing.every((m) => isJudgeScorerType(info.get(m)?.scorerType ?? '') && !info.get(m)?.calibrated);
  const action: GateAction | null = failed ? (judgesOnly ? 'require_approval' : rule.action) : null;
  return {
    rule: index,
    ruleText: text,
    metric: `failureClass:${rule.failureClass}`,
    slice: null,
    condition: 'maxFailures',
    status: failed ? 'failed' : 'passed',
    ruleAction: rule.action,
    action,
    rolloutPercent: action === 'narrow' ? (rule.rolloutPercent ?? null) : null,
    message: `${rule.failureClass}: ${failures} failed result(s)${failing.length ? ` in ${failing.join(', ')}` : ''}, at most ${rule.maxFailures} allowed`,
    owner: owners.length ? [...new Set(owners)].join(', ') : null,
    evidence: { failures },
  };
}

/**
 * A `minCoverage` rule: the covered share of the window's sliced production traffic against the
 * bound. No traffic, no sliced traffic, or a window the caller did not measure: not evaluated — a
 * warning says so, and guardUnevaluated turns a blocking rule into require_approval.
 */
function coverageFinding(rule: GateRule, index: number, measures: readonly CoverageMeasure[], warnings: string[]): Finding {
  const days = rule.days ?? DEFAULT_COVERAGE_DAYS;
  const bound = rule.minCoverage as number;
  const text = ruleText(rule);
  const base = { rule: index, ruleText: text, metric: 'coverage', slice: null, condition: 'minCoverage' as const, ruleAction: rule.action, owner: null };
  const m = measures.find((x) => x.days === days);
  const gap = m ? coverageGap(m) : `the coverage of the last ${days} days was not measured`;
  if (!m || gap !== null || m.coveredShare === null) {
    warnings.push(`rule ${index + 1} (${text}) was not evaluated: ${gap}`);
    return { ...base, status: 'not_evaluated', action: null, rolloutPercent: null, message: gap ?? 'coverage cannot be judged', evidence: { bound, ...(m ? { coverage: { days, traces: m.traces, sliced: m.sliced } } : {}) } };
  }
  const failed = m.coveredShare < bound;
  const top = m.uncovered.slice(0, 3).map((u) => `${u.slice} ${pct(u.share)} (${u.examples} example${u.examples === 1 ? '' : 's'})`);
  const message = `dataset covers ${pct(m.coveredShare)} of the last ${days} days' traffic (${m.covered} of ${m.sliced} sliced traces), ${failed ? 'below' : 'meets'} min ${pct(bound)}${failed && top.length ? `; most uncovered: ${top.join(', ')} — see \`evalops datasets coverage\`` : ''}`;
  const action = failed ? rule.action : null;
  return { ...base, status: failed ? 'failed' : 'passed', action, rolloutPercent: action === 'narrow' ? (rule.rolloutPercent ?? null) : null, message, evidence: { value: m.coveredShare, bound, coverage: { days, traces: m.traces, sliced: m.sliced } } };
}

/**
 * A metric's candidate counts with missing results as failures: scorer errors and target-errored
 * results (which have no scores) are failed results. Target errors are not charged to a metric that
 * was skipped on every result that had an output (it does not apply to this run).
 */
export function imputedCounts(m: RunSummary['metrics'][string], targetErrors: number): MetricCounts {
  const appliesToErrored = m.skipped === 0 || m.n + m.errored > 0;
  const imputed = m.errored + (appliesToErrored ? targetErrors : 0);
  return { passed: m.passed, failed: m.failed + imputed, imputed, n: m.n + imputed };
}

/**
 * A `block` rule that could not be evaluated asks for approval instead of passing silently, and so
 * does every unevaluated rule when none of the policy's rules could be evaluated. The exception:
 * `noRegression` on a first gate, with no approved baseline yet, when other rules did judge the run.
 */
function guardUnevaluated(findings: readonly Finding[], noBaseline: boolean, warnings: string[]): Finding[] {
  const evaluated = findings.some((f) => f.status !== 'not_evaluated');
  const guard = (f: Finding): boolean => f.status === 'not_evaluated' && f.action === null && (!evaluated || (f.ruleAction === 'block' && !(noBaseline && f.condition === 'noRegression')));
  const guarded = findings.filter(guard);
  if (guarded.length === 0) return [...findings];
  const why = guarded.map((f) => `rule ${f.rule + 1} (${f.ruleText}) on ${f.metric}${f.slice ? ` in slice ${f.slice}` : ''}: ${f.message}`);
  warnings.push(`${evaluated ? 'a blocking rule could not be evaluated' : 'no rule could be evaluated'}, so the decision requires approval: ${why.join('; ')}`);
  return findings.map((f) => (guard(f) ? { ...f, action: 'require_approval' as const, message: `${f.message} — not evaluated, so approval is required` } : f));
}

/**
 * The built-in error-rate rule: with a baseline, fails when the candidate's target-error rate rose
 * significantly (error-rate.ts); with or without one, fails when every example errored (at least
 * require_approval then, whatever the configured action). Without a baseline, any errors are a warning.
 */
function errorRateFinding(input: GateEvaluationInput, warnings: string[]): Finding {
  const rule = input.errorRate ?? DEFAULT_ERROR_RATE_RULE;
  const comparison = input.errors?.comparison ?? null;
  const results = input.candidate.results;
  const candidate = input.errors?.candidate ?? { results: results.errors, examples: results.errors, missing: 0, total: results.total, rate: results.total ? results.errors / results.total : null, top: [] };
  const allErrored = candidate.total === 0 || candidate.examples >= candidate.total;
  const rose = comparison?.rose ?? false;
  const failed = allErrored || rose;
  let action: GateAction | null = failed ? rule.action : null;
  if (allErrored && action === 'narrow') action = 'require_approval';
  const cRate = pct(candidate.rate);
  let message: string;
  if (allErrored) message = candidate.total === 0 ? 'the candidate has no results at all' : `every example errored (${candidate.examples}/${candidate.total}): nothing was evaluated${candidate.top[0] ? `; most often: ${candidate.top[0].message}` : ''}`;
  else if (comparison) {
    const change = `${pct(comparison.baseline.rate)} → ${cRate} (${comparison.newErrors} new errored example(s), ${comparison.fixedErrors} fixed; one-sided McNemar p ${fmtP(comparison.pValue)})`;
    message = rose ? `target-error rate rose: ${change}` : `target-error rate did not rise significantly: ${change}`;
  } else {
    message = `target-error rate ${cRate} (${candidate.examples}/${candidate.total} examples); no baseline to compare it with`;
    if (candidate.examples > 0) warnings.push(`the candidate errored on ${candidate.examples} of ${candidate.total} examples (${cRate}) and there is no baseline to tell whether that is a rise; the errors count as failed results in every rule`);
  }
  return {
    rule: BUILT_IN_RULE,
    ruleText: `built-in: target-error rate must not rise → ${rule.action}`,
    metric: 'error_rate',
    slice: null,
    condition: 'errorRate',
    status: failed ? 'failed' : 'passed',
    ruleAction: rule.action,
    action,
    rolloutPercent: action === 'narrow' ? (rule.rolloutPercent ?? null) : null,
    message,
    owner: null,
    evidence: {
      value: candidate.rate,
      errorRate: { baseline: comparison?.baseline.rate ?? null, candidate: candidate.rate, newErrors: comparison?.newErrors ?? null, fixedErrors: comparison?.fixedErrors ?? null, pValue: comparison?.pValue ?? null },
    },
  };
}

function builtInValue(metric: string, s: RunSummary): { value: number | null; ci95: [number, number] | null } {
  switch (metric) {
    case 'error_rate':
      return { value: s.results.total ? s.results.errors / s.results.total : null, ci95: wilsonInterval(s.results.errors, s.results.total) };
    case 'latency_p95':
      return { value: s.latencyMs.p95, ci95: null };
    default:
      return { value: s.costPerSuccessUsd, ci95: null };
  }
}

function builtInFormat(metric: string, x: number): string {
  if (metric === 'latency_p95') return `${x.toFixed(0)} ms`;
  if (metric === 'cost_per_success') return `$${x.toFixed(5)}`;
  return pct(x);
}

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const signedPts = (x: number | null): string => (x === null ? '—' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`);
const interval = (ci: readonly [number, number] | null): string => (ci ? `${signedPts(ci[0])} … ${signedPts(ci[1])}` : '—');
const fmtP = (p: number | null): string => (p === null ? '—' : p < 0.001 ? '<0.001' : p.toFixed(3));
