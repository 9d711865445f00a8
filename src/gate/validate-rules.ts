import { EvalOpsError } from '../core/errors.js';
import type { GateRule } from '../core/gate-config.js';
import { isBuiltInMetric } from '../core/metric.js';
import type { RunMetric } from '../core/run.js';
import { ruleText } from '../core/gate/rule-text.js';

/**
 * Refuses (exit 2, the rule named) a policy the candidate run cannot be judged by: a rule on a metric
 * the run did not score, a failure class no metric of the run belongs to, or a bound that can never
 * be crossed (a pass rate below 0 or above 1).
 */
export function validateRules(rules: readonly GateRule[], metrics: readonly RunMetric[]): void {
  const names = new Set(metrics.map((m) => m.name));
  rules.forEach((rule, i) => {
    const where = `gate.rules.${i} (${ruleText(rule)})`;
    if (rule.metric !== undefined && !isBuiltInMetric(rule.metric) && !names.has(rule.metric)) {
      throw new EvalOpsError('usage', `unknown metric "${rule.metric}": the candidate run has ${[...names].join(', ')}`, { location: where });
    }
    if (rule.failureClass !== undefined && !metrics.some((m) => m.failureClass === rule.failureClass)) {
      throw new EvalOpsError('usage', `no metric of the candidate run has failure class ${rule.failureClass}, so this rule can never fire`, { location: where });
    }
    const isRate = rule.metric === undefined || !isBuiltInMetric(rule.metric);
    if (isRate && rule.min !== undefined && rule.min <= 0) throw new EvalOpsError('usage', `min ${rule.min} can never fire: a pass rate is never below 0`, { location: where });
    if (isRate && rule.max !== undefined && rule.max >= 1) throw new EvalOpsError('usage', `max ${rule.max} can never fire: a pass rate is never above 1`, { location: where });
    if (rule.metric !== undefined && isBuiltInMetric(rule.metric) && (rule.noRegression || rule.maxFailures !== undefined)) {
      throw new EvalOpsError('usage', `${rule.metric} is a built-in run metric: use min or max with it`, { location: where });
    }
  });
}
