import type { GateDecisionDocument } from '../core/gate/gate-decision.js';

/** One sentence a reviewer reads first: the outcome and why. */
export function decisionSummary(d: Pick<GateDecisionDocument, 'outcome' | 'rolloutPercent' | 'findings'>): string {
  const failed = d.findings.filter((f) => f.action !== null);
  const head = { approve: 'Approved', block: 'Blocked', require_approval: 'Needs an owner’s approval', narrow: `Narrowed to ${d.rolloutPercent}% rollout` }[d.outcome];
  if (failed.length === 0) return `${head}: every rule holds.`;
  const worst = failed.filter((f) => f.action === d.outcome || (d.outcome === 'narrow' && f.action === 'narrow'));
  const reasons = (worst.length ? worst : failed).slice(0, 3).map((f) => f.message);
  return `${head}: ${reasons.join('; ')}${failed.length > 3 ? ` (and ${failed.length - 3} more)` : ''}.`;
}
