import { z } from 'zod';

/**
 * An alert's lifecycle (DESIGN.md §3), pure: `open → acknowledged → resolved`, or `open → resolved`.
 * Resolved is final: if the signal moves again, a new alert opens (dedupe keeps one unresolved alert
 * per monitor and cohort).
 */
export const AlertStatusSchema = z.enum(['open', 'acknowledged', 'resolved']);
export type AlertStatus = z.infer<typeof AlertStatusSchema>;

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
