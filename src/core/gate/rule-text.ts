import { DEFAULT_COVERAGE_DAYS, type GateRule } from '../gate-config.js';

/** A rule as one readable line, e.g. `cites_policy noRegression perSlice → block`. */
export function ruleText(rule: GateRule): string {
  if (rule.minCoverage !== undefined) {
    return `dataset coverage min ${rule.minCoverage} of the last ${rule.days ?? DEFAULT_COVERAGE_DAYS} days' traffic → ${rule.action}${rule.action === 'narrow' ? ` ${rule.rolloutPercent}%` : ''}`;
  }
  const parts = [rule.metric ?? `failureClass ${rule.failureClass}`];
  if (rule.aggregate !== undefined && rule.aggregate !== 'mean') parts.push(rule.aggregate);
  if (rule.min !== undefined) parts.push(`min ${rule.min}`);
  if (rule.max !== undefined) parts.push(`max ${rule.max}`);
  if (rule.noRegression) parts.push(rule.minEffect ? `noRegression (minEffect ${rule.minEffect})` : 'noRegression');
  if (rule.maxFailures !== undefined) parts.push(`maxFailures ${rule.maxFailures}`);
  if (rule.perSlice) parts.push(rule.slicePrefix === undefined ? 'perSlice' : `perSlice ${rule.slicePrefix}*`);
  if (rule.useInterval) parts.push('useInterval');
  return `${parts.join(' ')} → ${rule.action}${rule.action === 'narrow' ? ` ${rule.rolloutPercent}%` : ''}`;
}
