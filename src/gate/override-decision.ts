import { EvalOpsError } from '../core/errors.js';
import { GateDecisionDocumentSchema, type GateOutcome } from '../core/gate/gate-decision.js';
import type { OverrideRecord } from '../store/gate-decision-repository.js';
import type { Store } from '../store/store.js';

export interface OverrideRequest {
  readonly decisionId: string;
  readonly actor: string;
  readonly reason: string;
  readonly evidence: string;
  /** The outcome the override sets: approve (default), or narrow with a percentage. */
  readonly outcome?: 'approve' | 'narrow';
  readonly rolloutPercent?: number;
  /** When given, the decision must belong to this project (a guard against a wrong id). */
  readonly project?: string;
  /**
   * Gate admins vouched for by the caller besides those recorded with the decision's policy: the
   * local config's `gate.admins` in the CLI's local mode, where the caller owns the database anyway.
   * Never taken from a request to a server.
   */
  readonly admins?: readonly string[];
  /** The actor holds an admin key whose scope covers the decision, and so acts as a gate admin. */
  readonly actorIsAdmin?: boolean;
}

export interface OverrideResult {
  readonly override: OverrideRecord;
  readonly decision: { readonly id: string; readonly outcome: GateOutcome; readonly effectiveOutcome: GateOutcome };
  readonly release: { readonly id: string; readonly status: string; readonly canaryPercent: number | null } | null;
}

/**
 * The checks of an override request that need no database, with messages naming the CLI's flags:
 * a reason of at least 10 characters, an http(s) evidence link, a percentage to narrow to.
 */
export function checkOverrideRequest(request: Pick<OverrideRequest, 'reason' | 'evidence' | 'outcome' | 'rolloutPercent'>): void {
  if (request.reason.trim().length < 10) throw new EvalOpsError('usage', '--reason must say why in at least 10 characters', { location: '--reason' });
  if (!isHttpUrl(request.evidence)) throw new EvalOpsError('usage', `--evidence must be an http(s) URL to the evidence (got "${request.evidence}")`, { location: '--evidence' });
  if ((request.outcome ?? 'approve') === 'narrow' && (request.rolloutPercent === undefined || request.rolloutPercent < 1 || request.rolloutPercent > 99)) {
    throw new EvalOpsError('usage', 'an override to narrow needs --percent 1..99', { location: '--percent' });
  }
}

/**
 * `evalops gate override`: allowed to the owner of every metric whose rule acted on the decision, or to
 * a gate admin — named in the `gate.admins` recorded with the decision's policy, or holding an admin
 * key (which could mint a key named for any owner, so refusing it would protect nothing); needs a
 * reason and an evidence URL. The decision is never edited: the override is stored beside it,
 * audited, and moves the variant's release.
 */
export async function overrideDecision(store: Store, request: OverrideRequest): Promise<OverrideResult> {
  checkOverrideRequest(request);
  const reason = request.reason.trim();
  const outcome = request.outcome ?? 'approve';

  const decision = await store.decisions.get(request.decisionId, GateDecisionDocumentSchema);
  const project = (await store.projects.list()).find((p) => p.id === decision.projectId);
  if (request.project !== undefined && project?.name !== request.project) {
    throw new EvalOpsError('usage', `decision ${request.decisionId} belongs to project ${project?.name ?? decision.projectId}, not ${request.project}`);
  }
  if (decision.effectiveOutcome === 'approve') throw new EvalOpsError('conflict', `decision ${decision.id} is already approved; there is nothing to override`);

  const acting = decision.document.findings.filter((f) => f.action !== null);
  const owners = new Set(acting.flatMap((f) => (f.owner ? f.owner.split(', ') : [])));
  const unowned = acting.filter((f) => !f.owner).map((f) => f.metric);
  const admins = new Set([...decision.document.policy.admins, ...(request.admins ?? [])]);
  let role: 'admin' | 'owner';
  if (request.actorIsAdmin || admins.has(request.actor)) role = 'admin';
  else if (unowned.length === 0 && owners.size > 0 && [...owners].every((o) => o === request.actor)) role = 'owner';
  else {
    const need = [...owners].filter((o) => o !== request.actor);
    const why = unowned.length
      ? `metric(s) ${unowned.join(', ')} have no owner, so only an admin (gate.admins) may override`
      : `it needs the owner of every failed metric (${[...owners].join(', ')}) or an admin; ${need.join(', ')} ${need.length === 1 ? 'is' : 'are'} not ${request.actor}`;
    throw new EvalOpsError('forbidden', `${request.actor} may not override decision ${decision.id}: ${why}`);
  }

  return store.db.transaction().execute(async (trx) => {
    const override = await store.decisions.addOverride({ decisionId: decision.id, actor: request.actor, role, reason, evidenceUrl: request.evidence, outcome, rolloutPercent: outcome === 'narrow' ? (request.rolloutPercent ?? null) : null }, trx);
    const release = await store.releases.findByVariant(decision.projectId, decision.document.candidate.variant, trx);
    let moved: OverrideResult['release'] = null;
    if (release && release.status === 'candidate') {
      const applied = await store.releases.apply(release.id, { type: 'gate', outcome, rolloutPercent: outcome === 'narrow' ? (request.rolloutPercent ?? null) : null, decisionId: decision.id }, request.actor, trx);
      moved = { id: applied.release.id, status: applied.release.status, canaryPercent: applied.release.canaryPercent };
    } else if (release) {
      moved = { id: release.id, status: release.status, canaryPercent: release.canaryPercent };
    }
    await store.audit.append(
      decision.projectId,
      { actor: request.actor, action: 'gate.override', entityType: 'gate_decision', entityId: decision.id, payload: { role, reason, evidenceUrl: request.evidence, from: decision.effectiveOutcome, to: outcome, rolloutPercent: request.rolloutPercent ?? null, overrideId: override.id } },
      trx,
    );
    return { override, decision: { id: decision.id, outcome: decision.outcome, effectiveOutcome: outcome }, release: moved };
  });
}

/** Whether `s` is an http: or https: URL (an override's evidence link). */
export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
