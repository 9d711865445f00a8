import type { GateRule } from '../gate-config.js';
import type { MetricSummary } from '../run.js';
import { wilsonInterval } from '../stats.js';
import type { Finding } from './gate-decision.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/**
 * A `min`/`max` rule with `aggregate: pass^k` or `pass@k`: bounds the share of examples where all
 * (pass^k) or at least one (pass@k) of the run's k trials passed, with a 95% Wilson interval over the
 * examples for `useInterval`. A run without repeats has k = 1, where both equal the pass rate.
 * @example aggregateFinding(base, 'min', { metric: 'm', aggregate: 'pass^k', min: 0.9, ... }, summary, 3, act, '')
 */
export function aggregateFinding(
  base: Omit<Finding, 'slice' | 'status' | 'action' | 'rolloutPercent' | 'message' | 'evidence'>,
  condition: 'min' | 'max',
  rule: GateRule,
  summary: MetricSummary,
  /** The run's repeat (k). */
  repeat: number,
  act: (failed: boolean) => Pick<Finding, 'action' | 'rolloutPercent'>,
  note: string,
): Finding {
  const r = summary.repeats;
  const label = `${rule.aggregate === 'pass@k' ? 'pass@' : 'pass^'}${r?.k ?? repeat}`;
  const bound = rule[condition] as number;
  if (!r && repeat > 1) {
    // A run summarised before repeat statistics were kept: its pass rate is not pass^k; say so rather than guess.
    return { ...base, slice: null, status: 'not_evaluated', ...act(false), message: `${base.metric} ${label} is not recorded for this run (run it again to get it)`, evidence: { bound } };
  }
  const count = r ? (rule.aggregate === 'pass@k' ? r.passAny : r.passAll) : summary.passed;
  const n = r ? r.examples : summary.n;
  if (n === 0) {
    return { ...base, slice: null, status: 'not_evaluated', ...act(false), message: `${base.metric} ${label} has no value`, evidence: { bound } };
  }
  const value = count / n;
  const ci95 = wilsonInterval(count, n);
  const judged = rule.useInterval && ci95 ? (condition === 'min' ? ci95[1] : ci95[0]) : value;
  const failed = condition === 'min' ? judged < bound : judged > bound;
  const how = rule.useInterval && ci95 ? `95% CI ${pct(ci95[0])}–${pct(ci95[1])}` : pct(value);
  const flaky = r ? `; ${r.flaky} flaky example(s)` : '';
  const message = `${base.metric} ${label} ${how} (${count}/${n} examples${flaky}) ${failed ? 'violates' : 'meets'} ${condition} ${pct(bound)}${failed ? note : ''}`;
  return { ...base, slice: null, status: failed ? 'failed' : 'passed', ...act(failed), message, evidence: { value, ci95: ci95 ? [ci95[0], ci95[1]] : null, bound } };
}
