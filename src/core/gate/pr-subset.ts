import { z } from 'zod';
import type { GateVisibility } from '../plan/gate-visibility.js';
import { RunSubsetSchema, type RunSubset } from '../subset/subset-spec.js';
import type { Finding } from './gate-decision.js';

/** How a gate judges: `full` on the whole dataset, `pr` on a subset (blocks only on what it can see). */
export const GateModeSchema = z.enum(['full', 'pr']);
export type GateMode = z.infer<typeof GateModeSchema>;

export const FULL_SUITE_NOTE = 'the full suite decides on main';

/** The subset section of a gate decision: what the candidate ran on and what each rule can see there. */
export const SubsetDecisionSchema = RunSubsetSchema.extend({
  rules: z.array(
    z.object({
      rule: z.number().int(),
      ruleText: z.string(),
      metric: z.string(),
      slice: z.string().nullable(),
      n: z.number().int(),
      mde: z.number().nullable().describe('smallest drop caught 80% of the time on the subset; null: none'),
      detectable: z.boolean(),
    }),
  ),
  note: z.string(),
});
export type SubsetDecision = z.infer<typeof SubsetDecisionSchema>;

/**
 * The decision's subset section: the MDE of every noRegression rule's whole-dataset test on the
 * subset (slices are in `visibility`), and the note that the full suite decides on main.
 */
export function subsetDecision(subset: RunSubset, visibility: GateVisibility): SubsetDecision {
  const rules = visibility.rows.filter((r) => r.slice === null).map((r) => ({ rule: r.rule, ruleText: r.ruleText, metric: r.metric, slice: r.slice, n: r.n, mde: r.mde, detectable: r.canFire }));
  return { ...subset, rules, note: `a PR gate on ${subset.size} of ${subset.datasetSize} examples blocks only on effects this subset can detect; ${FULL_SUITE_NOTE}` };
}

/**
 * On a PR subset, a noRegression test that did not fail says what it could not see: a test that
 * cannot fire there at all (n below the minimum, or no drop caught 80% of the time) is "not
 * detectable on the PR subset"; one that can says which drops are below its MDE.
 */
export function markNotDetectable(findings: readonly Finding[], visibility: GateVisibility): Finding[] {
  const rows = new Map(visibility.rows.map((r) => [`${r.rule}\u0000${r.metric}\u0000${r.slice ?? ''}`, r]));
  return findings.map((f) => {
    if (f.condition !== 'noRegression' || f.status === 'failed') return f;
    const row = rows.get(`${f.rule}\u0000${f.metric}\u0000${f.slice ?? ''}`);
    if (!row) return f;
    if (!row.canFire || row.mde === null) return { ...f, message: `${f.metric}${f.slice ? ` in slice ${f.slice}` : ''}: not detectable on the PR subset (${row.reason ?? `n = ${row.n}`}); ${FULL_SUITE_NOTE}` };
    return { ...f, message: `${f.message}; a drop smaller than ${(row.mde * 100).toFixed(1)} pts is not detectable on the PR subset (n = ${row.n})` };
  });
}
