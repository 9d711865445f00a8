import { EvalOpsError } from '../core/errors.js';
import { GateDecisionDocumentSchema, type GateDecisionDocument } from '../core/gate/gate-decision.js';
import type { GateConfig } from '../core/gate-config.js';
import { newId } from '../store/ids.js';
import type { Store } from '../store/store.js';

/**
 * Stores a gate decision, moves the candidate variant's release by it, and appends the audit entry —
 * preceded by a `policy.change` entry when the policy differs from the previous decision's — all in
 * one transaction, so there is never a decision without its audit record or release move.
 * A release that is already past `approved` (the same variant gated again while on canary or live) is
 * left as it is, and the decision says so. With the policy's `onApprove`, an approved release is
 * promoted to canary or live in the same transaction.
 */
export async function recordDecision(
  store: Store,
  projectId: string,
  draft: Omit<GateDecisionDocument, 'decisionId' | 'createdAt'>,
  actor: string,
  options: { readonly onApprove?: GateConfig['onApprove'] } = {},
): Promise<GateDecisionDocument> {
  const decisionId = newId('gd');
  const createdAt = new Date().toISOString();
  const previous = (await store.decisions.list(projectId, GateDecisionDocumentSchema, 1))[0];
  return store.db.transaction().execute(async (trx) => {
    const release = await store.releases.ensure(projectId, draft.candidate.variant, draft.candidate.runId, trx);
    const warnings = [...draft.warnings];
    let releaseStatus: string = release.status;
    if (release.status === 'candidate' || release.status === 'approved') {
      const moved = await store.releases.apply(release.id, { type: 'gate', outcome: draft.outcome, rolloutPercent: draft.rolloutPercent, decisionId, runId: draft.candidate.runId }, actor, trx).catch((e: unknown) => {
        if (e instanceof EvalOpsError && e.code === 'conflict') {
          warnings.push(`release of variant ${draft.candidate.variant} not moved: ${e.message}`);
          return undefined;
        }
        throw e;
      });
      if (moved) releaseStatus = moved.release.status;
      // The policy's onApprove: an approved candidate goes to canary or live at once, audited as a promotion.
      const promote = options.onApprove?.promote;
      if (moved?.release.status === 'approved' && (promote === 'canary' || promote === 'live')) {
        const event = promote === 'live' ? ({ type: 'promote' } as const) : ({ type: 'promote', percent: options.onApprove?.percent } as const);
        releaseStatus = (await store.releases.apply(release.id, event, `${actor} (policy onApprove)`, trx)).release.status;
      }
    } else {
      warnings.push(`release of variant ${draft.candidate.variant} is already ${release.status}; this decision does not move it`);
    }
    const document: GateDecisionDocument = { ...draft, warnings, decisionId, createdAt };
    await store.decisions.create({ id: decisionId, createdAt, projectId, candidateRunId: draft.candidate.runId, baselineRunId: draft.baseline.runId, outcome: draft.outcome, rolloutPercent: draft.rolloutPercent, document }, trx);
    if (previous?.document.policy.hash !== draft.policy.hash) {
      await store.audit.append(
        projectId,
        { actor, action: 'policy.change', entityType: 'gate_policy', entityId: draft.policy.hash, payload: { from: previous?.document.policy ?? null, to: draft.policy, firstDecision: decisionId } },
        trx,
      );
    }
    await store.audit.append(
      projectId,
      {
        actor,
        action: 'gate.decision',
        entityType: 'gate_decision',
        entityId: decisionId,
        payload: { outcome: draft.outcome, rolloutPercent: draft.rolloutPercent, candidateRunId: draft.candidate.runId, baselineRunId: draft.baseline.runId, variant: draft.candidate.variant, owners: draft.owners, release: { id: release.id, status: releaseStatus } },
      },
      trx,
    );
    return document;
  });
}
