import type { MonitorSpec } from './monitor-spec.js';

/**
 * Which traffic a monitor watches, and which releases its rollback rules may therefore move. Pure:
 * the API checks a rule when it is bound, and src/monitor/open-alert.ts checks it again when the
 * monitor fires (the monitor's spec may have changed since), so a rule can never move a release the
 * monitor did not see go bad.
 *
 * - a `canary` monitor watches its canary (compared with live): it may roll back or narrow the canary
 *   only, never the live release it is compared with;
 * - a change or threshold monitor with `release:` watches that release;
 * - any other monitor (all traffic, judge drift) watches no one release, so it moves none.
 */
export type MonitorCohort =
  | { readonly kind: 'canary'; readonly release: string; readonly live: string }
  | { readonly kind: 'release'; readonly release: string }
  | { readonly kind: 'all' };

export function monitorCohort(spec: Pick<MonitorSpec, 'release' | 'detector'>): MonitorCohort {
  if (spec.detector.kind === 'canary') return { kind: 'canary', release: spec.detector.canary, live: spec.detector.live };
  if (spec.detector.kind !== 'judge-drift' && spec.release !== undefined) return { kind: 'release', release: spec.release };
  return { kind: 'all' };
}

/** A release as a cohort may name it: spans carry its variant (or a name bound to it), people its id. */
export interface ReleaseRef {
  readonly id: string;
  readonly variant: string;
  /** Other names the release answers to (e.g. human release names), if any. */
  readonly names?: readonly string[];
}

/** True when the cohort's release reference names this release. */
export function namesRelease(ref: string, release: ReleaseRef): boolean {
  return ref === release.id || ref === release.variant || (release.names ?? []).includes(ref);
}

/** "canary 2.1.0 (compared with live 2.0.0)", "release 2.1.0", "all traffic". */
export function describeCohort(cohort: MonitorCohort): string {
  switch (cohort.kind) {
    case 'canary':
      return `canary ${cohort.release} (compared with live ${cohort.live})`;
    case 'release':
      return `release ${cohort.release}`;
    case 'all':
      return 'all traffic, not one release';
  }
}

/**
 * Whether a rollback rule of `monitorName` may move `release`, or a refusal naming the monitor, its
 * cohort and the release.
 * @example rollbackTargetCheck('canary-q', { release: undefined, detector: { kind: 'canary', canary: 'v2', live: 'v1', … } }, { id: 'rel_1', variant: 'v1' })
 *   // { ok: false, message: 'monitor canary-q watches canary v2 (compared with live v1); release rel_1 (v1) is its live side: …' }
 */
export function rollbackTargetCheck(monitorName: string, spec: Pick<MonitorSpec, 'release' | 'detector'>, release: ReleaseRef): { ok: true } | { ok: false; message: string } {
  const cohort = monitorCohort(spec);
  const named = `release ${release.id} (${release.variant})`;
  const watches = `monitor ${monitorName} watches ${describeCohort(cohort)}`;
  switch (cohort.kind) {
    case 'canary':
      if (namesRelease(cohort.release, release)) return { ok: true };
      if (namesRelease(cohort.live, release)) return { ok: false, message: `${watches}; ${named} is its live side: a canary monitor may only roll back or narrow its canary ${cohort.release}` };
      return { ok: false, message: `${watches}; ${named} is not in its cohort: a canary monitor may only roll back or narrow its canary ${cohort.release}` };
    case 'release':
      if (namesRelease(cohort.release, release)) return { ok: true };
      return { ok: false, message: `${watches}; ${named} is not in its cohort: bind the rule to ${cohort.release}, or give the monitor \`release: ${release.variant}\`` };
    case 'all':
      return { ok: false, message: `${watches}; it cannot tell which release went bad, so it may not move ${named}: give the monitor \`release: ${release.variant}\` or a canary detector` };
  }
}
