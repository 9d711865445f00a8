import { describe, expect, it } from 'vitest';
import { describeRelease, fromSnapshot, ReleaseEventSchema, toSnapshot, trafficPercent, transition, type ReleaseEvent, type ReleaseState, type TransitionResult } from './release.js';

const candidate: ReleaseState = { status: 'candidate', hold: null };
const blocked: ReleaseState = { status: 'candidate', hold: 'block' };
const awaiting: ReleaseState = { status: 'candidate', hold: 'require_approval' };
const approved: ReleaseState = { status: 'approved' };
const canary10: ReleaseState = { status: 'canary', canaryPercent: 10 };
const live: ReleaseState = { status: 'live' };
const rolledBack: ReleaseState = { status: 'rolled_back' };

const gate = (outcome: 'approve' | 'narrow' | 'block' | 'require_approval', rolloutPercent?: number): ReleaseEvent => ({ type: 'gate', outcome, ...(rolloutPercent === undefined ? {} : { rolloutPercent }) });
const promote = (percent?: number): ReleaseEvent => ({ type: 'promote', ...(percent === undefined ? {} : { percent }) });
const rollback = (reason = 'error rate doubled'): ReleaseEvent => ({ type: 'rollback', reason });

function state(result: TransitionResult): ReleaseState {
  if (!result.ok) throw new Error(`refused: ${result.refusal.message}`);
  return result.state;
}
function refusal(result: TransitionResult): string {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.state)}`);
  return result.refusal.message;
}

describe('transition: gate decisions', () => {
  it('approves a candidate', () => {
    expect(state(transition(candidate, gate('approve')))).toEqual(approved);
    expect(state(transition(blocked, gate('approve')))).toEqual(approved);
  });

  it('narrows a candidate to a canary at the rule percentage', () => {
    expect(state(transition(candidate, gate('narrow', 25)))).toEqual({ status: 'canary', canaryPercent: 25 });
  });

  it('keeps a blocked or approval-needing candidate a candidate, remembering why', () => {
    expect(state(transition(candidate, gate('block')))).toEqual(blocked);
    expect(state(transition(candidate, gate('require_approval')))).toEqual(awaiting);
  });

  it('lets a newer decision move an approved release that has not rolled out', () => {
    expect(state(transition(approved, gate('block')))).toEqual(blocked);
    expect(state(transition(approved, gate('narrow', 5)))).toEqual({ status: 'canary', canaryPercent: 5 });
    expect(state(transition(approved, gate('approve')))).toEqual(approved);
  });

  it('refuses a narrow decision without a valid percentage', () => {
    expect(refusal(transition(candidate, gate('narrow')))).toMatch(/rollout percent from 1 to 99 \(got none\)/);
    expect(refusal(transition(candidate, gate('narrow', 0)))).toMatch(/got 0/);
    expect(refusal(transition(candidate, gate('narrow', 100)))).toMatch(/got 100/);
  });

  it('refuses to let a gate decision move a release that is rolling out or rolled back', () => {
    expect(refusal(transition(canary10, gate('approve')))).toMatch(/cannot move a release that is canary at 10%/);
    expect(refusal(transition(live, gate('block')))).toMatch(/that is live/);
    expect(refusal(transition(rolledBack, gate('approve')))).toMatch(/rolled-back variant stays rolled back/);
  });
});

describe('transition: promote', () => {
  it('promotes an approved release to a canary or straight to live', () => {
    expect(state(transition(approved, promote(10)))).toEqual(canary10);
    expect(state(transition(approved, promote()))).toEqual(live);
    expect(state(transition(approved, promote(100)))).toEqual(live);
  });

  it('widens a canary or takes it live', () => {
    expect(state(transition(canary10, promote(50)))).toEqual({ status: 'canary', canaryPercent: 50 });
    expect(state(transition(canary10, promote()))).toEqual(live);
  });

  it('refuses to shrink or repeat a canary percentage', () => {
    expect(refusal(transition(canary10, promote(10)))).toBe('the release is already canary at 10%: promote to a larger percent or to live');
    expect(refusal(transition(canary10, promote(5)))).toMatch(/already canary at 10%/);
  });

  it('refuses to promote a candidate, saying why it is held', () => {
    expect(refusal(transition(blocked, promote()))).toMatch(/^cannot promote a blocked candidate/);
    expect(refusal(transition(awaiting, promote(10)))).toMatch(/^cannot promote a candidate awaiting approval/);
    expect(refusal(transition(candidate, promote()))).toMatch(/without an approving gate decision/);
  });

  it('refuses to promote a live or rolled-back release', () => {
    expect(refusal(transition(live, promote()))).toBe('the release is already live');
    expect(refusal(transition(rolledBack, promote()))).toMatch(/rolled-back/);
  });

  it('refuses a percentage outside 1..100 or not whole', () => {
    for (const p of [0, 101, -5, 12.5]) expect(refusal(transition(approved, promote(p)))).toMatch(/whole number from 1 to 100/);
  });
});

describe('transition: narrow', () => {
  const narrow = (percent: number, reason = 'canary quality dropped'): ReleaseEvent => ({ type: 'narrow', percent, reason });
  it('shrinks a canary to a smaller share and moves a live release back to canary', () => {
    expect(state(transition(canary10, narrow(5)))).toEqual({ status: 'canary', canaryPercent: 5 });
    expect(state(transition(live, narrow(20)))).toEqual({ status: 'canary', canaryPercent: 20 });
  });

  it('refuses to widen, to narrow what has no traffic, or to narrow without a reason', () => {
    expect(refusal(transition(canary10, narrow(10)))).toMatch(/needs a smaller percent/);
    expect(refusal(transition(canary10, narrow(50)))).toMatch(/needs a smaller percent/);
    expect(refusal(transition(approved, narrow(5)))).toMatch(/only a canary or live release/);
    expect(refusal(transition(rolledBack, narrow(5)))).toMatch(/only a canary or live release/);
    expect(refusal(transition(live, narrow(0)))).toMatch(/from 1 to 99/);
    expect(refusal(transition(live, narrow(5, ' ')))).toBe('narrowing a rollout needs a reason');
  });
});

describe('transition: rollback', () => {
  it('rolls back an approved, canary or live release', () => {
    for (const s of [approved, canary10, live]) expect(state(transition(s, rollback()))).toEqual(rolledBack);
  });

  it('refuses to roll back a candidate or a rolled-back release', () => {
    expect(refusal(transition(candidate, rollback()))).toMatch(/cannot roll back a candidate/);
    expect(refusal(transition(rolledBack, rollback()))).toBe('the release is already rolled back');
  });

  it('refuses a rollback without a reason', () => {
    expect(refusal(transition(live, rollback('  ')))).toBe('a rollback needs a reason');
  });

  it('returns the refused state and event with the refusal', () => {
    const result = transition(live, promote());
    expect(result).toEqual({ ok: false, refusal: { from: live, event: promote(), message: 'the release is already live' } });
  });
});

describe('release views', () => {
  it('gives the traffic share a deploy script applies', () => {
    expect([candidate, approved, canary10, live, rolledBack].map(trafficPercent)).toEqual([0, 0, 10, 100, 0]);
  });

  it('round-trips states through their stored snapshot', () => {
    for (const s of [approved, canary10, live, rolledBack]) expect(fromSnapshot(toSnapshot(s))).toEqual(s);
    expect(fromSnapshot(toSnapshot(blocked), 'block')).toEqual(blocked);
    expect(toSnapshot(canary10)).toEqual({ status: 'canary', canaryPercent: 10 });
    expect(fromSnapshot({ status: 'canary', canaryPercent: null })).toBeUndefined();
  });

  it('describes states in words', () => {
    expect([blocked, awaiting, candidate, canary10, rolledBack, live].map(describeRelease)).toEqual([
      'candidate (blocked)',
      'candidate (awaiting approval)',
      'candidate',
      'canary at 10%',
      'rolled back',
      'live',
    ]);
  });

  it('parses events at the boundary and rejects unknown ones', () => {
    expect(ReleaseEventSchema.parse({ type: 'gate', outcome: 'narrow', rolloutPercent: 20, decisionId: 'gd_1' })).toMatchObject({ outcome: 'narrow' });
    expect(ReleaseEventSchema.safeParse({ type: 'launch' }).success).toBe(false);
    expect(ReleaseEventSchema.safeParse({ type: 'gate', outcome: 'ship-it' }).success).toBe(false);
    expect(ReleaseEventSchema.safeParse({ type: 'rollback' }).success).toBe(false);
  });
});
