import type { Rubric } from './rubric.js';
import type { JudgeVerdict, ReviewReason } from './review-item.js';

/** The rules that route run results into a queue (each optional). */
export type RouteRule = 'low' | 'borderline' | 'disagreement' | 'errored';
export const ROUTE_RULES: readonly RouteRule[] = ['low', 'borderline', 'disagreement', 'errored'];

/** What the router knows of one result. */
export interface RouteCandidate {
  readonly judge: JudgeVerdict | null;
  /** Pass/fail of the result's code checks (deterministic metrics). */
  readonly checks: Readonly<Record<string, boolean>>;
}

/**
 * Why a result should be reviewed under these rules, or null. The first matching rule in the order
 * errored → low → disagreement → borderline names the reason.
 *
 * - `errored`: the judge errored (failed call, or unsure under its confidence threshold).
 * - `low`: the judge failed the output.
 * - `disagreement`: the judge passed it while a code check failed, or failed it while all passed.
 * - `borderline`: the judge's label is next to the pass boundary (the lowest pass label or the
 *   highest failing label of an ordinal rubric; for a nominal rubric, not used).
 * @example routeReason({ judge: { status: 'scored', label: 'poor', pass: false, reason: null, version: 'v' }, checks: {} }, ['low'], rubric) // 'low'
 */
export function routeReason(candidate: RouteCandidate, rules: readonly RouteRule[], rubric: Rubric): ReviewReason | null {
  const { judge, checks } = candidate;
  if (judge === null) return null;
  const on = new Set(rules);
  if (judge.status === 'errored') return on.has('errored') ? 'errored' : null;
  if (judge.status !== 'scored' || judge.pass === null) return null;
  if (on.has('low') && !judge.pass) return 'low';
  const checkValues = Object.values(checks);
  if (on.has('disagreement') && checkValues.length > 0) {
    const allPass = checkValues.every(Boolean);
    if ((judge.pass && !allPass) || (!judge.pass && allPass)) return 'disagreement';
  }
  if (on.has('borderline') && rubric.ordinal && judge.label !== null && isBorderline(judge.label, rubric)) return 'borderline';
  return null;
}

function isBorderline(label: string, rubric: Rubric): boolean {
  const names = rubric.labels.map((l) => l.label);
  const firstPass = names.findIndex((n) => rubric.pass.includes(n));
  const i = names.indexOf(label);
  return i === firstPass || i === firstPass - 1;
}
