import { z } from 'zod';

/**
 * An alert's lifecycle (DESIGN.md §3), pure: `open → acknowledged → resolved`, or `open → resolved`.
 * Resolved is final: if the signal moves again, a new alert opens (dedupe keeps one unresolved alert
 * per monitor and cohort).
 *
 * A resolved alert says how it ended (`resolvedAs`):
 * - `acted`: a rollback rule of its monitor moved the release when the alert opened (rolled it back or
 *   narrowed its canary); the alert resolves in the same transaction, and its evidence's
 *   `rollbackActions` link the moves (release id and the `release.transition` audit entry's seq).
 *   The monitor then stops reading that release's traces from before the action: a rolled-back
 *   release's cohort is not evaluated at all (its traffic is 0), a narrowed one is read again only
 *   from the action on. So the alert cannot reopen on the stale traces of the window.
 * - `recovered`: the monitor saw the signal come back (auto-resolve).
 * - `manual`: a person resolved it (`evalops alerts resolve`).
 */
export const AlertStatusSchema = z.enum(['open', 'acknowledged', 'resolved']);
export type AlertStatus = z.infer<typeof AlertStatusSchema>;

export const AlertResolutionKindSchema = z.enum(['acted', 'recovered', 'manual']);
export type AlertResolutionKind = z.infer<typeof AlertResolutionKindSchema>;

export type AlertAction = 'acknowledge' | 'resolve';

/**
 * The status after `action`, or a refusal naming why.
 * @example alertTransition('open', 'acknowledge') // { ok: true, status: 'acknowledged' }
 */
export function alertTransition(current: AlertStatus, action: AlertAction): { ok: true; status: AlertStatus } | { ok: false; message: string } {
  if (current === 'resolved') return { ok: false, message: 'the alert is already resolved; if the problem is back, a new alert opens' };
  if (action === 'acknowledge') {
    if (current === 'acknowledged') return { ok: false, message: 'the alert is already acknowledged' };
    return { ok: true, status: 'acknowledged' };
  }
  return { ok: true, status: 'resolved' };
}
