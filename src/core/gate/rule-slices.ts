import type { GateRule } from '../gate-config.js';

/** Whether a rule looks at this slice: `perSlice`, and the slice starts with `slicePrefix` when the rule has one. */
export function inRuleSlices(rule: Pick<GateRule, 'perSlice' | 'slicePrefix'>, slice: string): boolean {
  return rule.perSlice && (rule.slicePrefix === undefined || slice.startsWith(rule.slicePrefix));
}
