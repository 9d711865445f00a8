import { z } from 'zod';
import { GateOutcomeSchema, type GateOutcome } from './gate/gate-decision.js';

/**
 * A release: one target variant on its way out (DESIGN.md §3), as a pure state machine.
 *
 *   candidate ──gate approve──► approved ──promote p%──► canary(p) ──promote──► live
 *       │  ▲                       │  └──────promote──────────────────────────────┘
 *       │  └─gate block / require_approval (held)                                    any of approved,
 *       └──gate narrow p%──► canary(p)                                               canary, live ──rollback──► rolled_back
 *                                                          canary(p), live ──narrow q% (q < p)──► canary(q)
 *
 * A gate decision moves a release only before it rolls out (candidate, approved); promotion and
 * rollback are explicit, audited human acts. Illegal moves come back as a refusal value, not a throw.
 */

export const ReleaseStatusSchema = z.enum(['candidate', 'approved', 'canary', 'live', 'rolled_back']);
export type ReleaseStatus = z.infer<typeof ReleaseStatusSchema>;

/** Why a candidate is held: the gate outcome that kept it back, or null when no gate has ruled yet. */
export type CandidateHold = Extract<GateOutcome, 'block' | 'require_approval'> | null;

export type ReleaseState =
  | { readonly status: 'candidate'; readonly hold: CandidateHold }
  | { readonly status: 'approved' }
  | { readonly status: 'canary'; readonly canaryPercent: number }
  | { readonly status: 'live' }
  | { readonly status: 'rolled_back' };

const Percent = z.number().int();

export const ReleaseEventSchema = z.discriminatedUnion('type', [
  /** A gate decision about this variant; ids are recorded on the release, not used by the state machine. */
  z.object({
    type: z.literal('gate'),
    outcome: GateOutcomeSchema,
    rolloutPercent: Percent.nullable().optional(),
    decisionId: z.string().optional(),
    runId: z.string().optional(),
  }),
  /** Widen the rollout: to `percent` (1..99 canary, 100 live), or to live when no percent is given. */
  z.object({ type: z.literal('promote'), percent: Percent.optional() }),
  z.object({ type: z.literal('rollback'), reason: z.string() }),
  /** Shrink the rollout of a canary or live release to `percent` (1..99) of traffic, e.g. by a rollback rule. */
  z.object({ type: z.literal('narrow'), percent: Percent, reason: z.string() }),
]);
export type ReleaseEvent = z.infer<typeof ReleaseEventSchema>;

/** Status and canary share as stored and shown; the form a deploy script reads. */
export const ReleaseSnapshotSchema = z.object({ status: ReleaseStatusSchema, canaryPercent: z.number().int().nullable() });
export type ReleaseSnapshot = z.infer<typeof ReleaseSnapshotSchema>;

/** The payload of a `release.transition` audit entry. */
export const ReleaseTransitionPayloadSchema = z.object({
  variant: z.string(),
  from: ReleaseSnapshotSchema,
  to: ReleaseSnapshotSchema,
  event: ReleaseEventSchema,
});
export type ReleaseTransitionPayload = z.infer<typeof ReleaseTransitionPayloadSchema>;

export interface ReleaseRefusal {
  readonly from: ReleaseState;
  readonly event: ReleaseEvent;
  readonly message: string;
}

export type TransitionResult = { readonly ok: true; readonly state: ReleaseState } | { readonly ok: false; readonly refusal: ReleaseRefusal };

/**
 * The state after `event`, or a refusal saying why the move is not allowed.
 * @example transition({ status: 'approved' }, { type: 'promote', percent: 10 }) // { ok: true, state: { status: 'canary', canaryPercent: 10 } }
 * @example transition({ status: 'candidate', hold: 'block' }, { type: 'promote' }) // { ok: false, refusal: { message: 'cannot promote a blocked candidate…' } }
 */
export function transition(current: ReleaseState, event: ReleaseEvent): TransitionResult {
  const refuse = (message: string): TransitionResult => ({ ok: false, refusal: { from: current, event, message } });
  const to = (state: ReleaseState): TransitionResult => ({ ok: true, state });
  switch (event.type) {
    case 'gate':
      return onGate(current, event, refuse, to);
    case 'promote':
      return onPromote(current, event.percent, refuse, to);
    case 'rollback':
      if (event.reason.trim() === '') return refuse('a rollback needs a reason');
      if (current.status === 'candidate') return refuse('cannot roll back a candidate: it was never approved, so nothing is out to roll back');
      if (current.status === 'rolled_back') return refuse('the release is already rolled back');
      return to({ status: 'rolled_back' });
    case 'narrow':
      if (event.reason.trim() === '') return refuse('narrowing a rollout needs a reason');
      if (!Number.isInteger(event.percent) || event.percent < 1 || event.percent > 99) return refuse(`a narrowed rollout needs a percent from 1 to 99 (got ${event.percent})`);
      if (current.status === 'canary') {
        if (event.percent >= current.canaryPercent) return refuse(`the release is canary at ${current.canaryPercent}%: narrowing needs a smaller percent`);
        return to({ status: 'canary', canaryPercent: event.percent });
      }
      if (current.status === 'live') return to({ status: 'canary', canaryPercent: event.percent });
      return refuse(`cannot narrow a release that is ${describeRelease(current)}: only a canary or live release has traffic to narrow`);
  }
}

type Refuse = (message: string) => TransitionResult;
type To = (state: ReleaseState) => TransitionResult;

function onGate(current: ReleaseState, event: Extract<ReleaseEvent, { type: 'gate' }>, refuse: Refuse, to: To): TransitionResult {
  if (current.status !== 'candidate' && current.status !== 'approved') {
    return refuse(
      `a gate decision cannot move a release that is ${describeRelease(current)}: ${
        current.status === 'rolled_back' ? 'a rolled-back variant stays rolled back; change it and gate the new variant' : 'roll it back, or gate a new variant'
      }`,
    );
  }
  switch (event.outcome) {
    case 'approve':
      return to({ status: 'approved' });
    case 'narrow': {
      const p = event.rolloutPercent;
      if (p === undefined || p === null || p < 1 || p > 99) return refuse(`a narrow decision needs a rollout percent from 1 to 99 (got ${p ?? 'none'})`);
      return to({ status: 'canary', canaryPercent: p });
    }
    case 'block':
    case 'require_approval':
      return to({ status: 'candidate', hold: event.outcome });
  }
}

function onPromote(current: ReleaseState, percent: number | undefined, refuse: Refuse, to: To): TransitionResult {
  if (percent !== undefined && (!Number.isInteger(percent) || percent < 1 || percent > 100)) {
    return refuse(`a promotion percent must be a whole number from 1 to 100 (got ${percent})`);
  }
  const target: ReleaseState = percent === undefined || percent === 100 ? { status: 'live' } : { status: 'canary', canaryPercent: percent };
  switch (current.status) {
    case 'candidate':
      if (current.hold === 'block') return refuse('cannot promote a blocked candidate: the gate blocked this variant; fix it and gate again, or have an owner override the decision');
      if (current.hold === 'require_approval') return refuse('cannot promote a candidate awaiting approval: an owner must approve it first (evalops gate override)');
      return refuse('cannot promote a candidate without an approving gate decision: run evalops gate first');
    case 'approved':
      return to(target);
    case 'canary':
      if (target.status === 'canary' && target.canaryPercent <= current.canaryPercent) {
        return refuse(`the release is already canary at ${current.canaryPercent}%: promote to a larger percent or to live`);
      }
      return to(target);
    case 'live':
      return refuse('the release is already live');
    case 'rolled_back':
      return refuse('cannot promote a rolled-back release: change the variant and gate it again');
  }
}

/**
 * The share the release's state asks for alone: 0 until canary, the canary share, 100 when live.
 * What it gets beside the other releases of its track (live gives up what the canaries take, so the
 * shares sum to 100) is src/core/release-traffic.ts, which the API, CLI and UI show.
 */
export function trafficPercent(state: ReleaseState): number {
  return state.status === 'canary' ? state.canaryPercent : state.status === 'live' ? 100 : 0;
}

export function toSnapshot(state: ReleaseState): ReleaseSnapshot {
  return { status: state.status, canaryPercent: state.status === 'canary' ? state.canaryPercent : null };
}

/** Rebuilds a state from its stored form; a canary without a percent is refused as corrupt. */
export function fromSnapshot(snapshot: ReleaseSnapshot, hold: CandidateHold = null): ReleaseState | undefined {
  switch (snapshot.status) {
    case 'candidate':
      return { status: 'candidate', hold };
    case 'canary':
      return snapshot.canaryPercent === null ? undefined : { status: 'canary', canaryPercent: snapshot.canaryPercent };
    case 'approved':
    case 'live':
    case 'rolled_back':
      return { status: snapshot.status };
  }
}

/** In words: "candidate (blocked)", "canary at 10%", "live", "rolled back". */
export function describeRelease(state: ReleaseState): string {
  switch (state.status) {
    case 'candidate':
      return state.hold === 'block' ? 'candidate (blocked)' : state.hold === 'require_approval' ? 'candidate (awaiting approval)' : 'candidate';
    case 'canary':
      return `canary at ${state.canaryPercent}%`;
    case 'rolled_back':
      return 'rolled back';
    default:
      return state.status;
  }
}
