import { EvalOpsError } from '../core/errors.js';
import type { MonitorAlertEvidence } from '../core/monitor/alert-evidence.js';
import { monitorCohort } from '../core/monitor/monitor-cohort.js';
import { evaluateMonitor, type MonitorEvaluation, type SeriesBucket } from '../core/monitor/evaluate-monitor.js';
import { judgeDrift } from '../review/judge-drift.js';
import type { MonitorRecord } from '../store/monitor-repository.js';
import type { Store } from '../store/store.js';
import { changeSeries, monitorDetectability, type StoredDetectability } from './monitor-detectability.js';
import { moveAlert } from './move-alert.js';
import { openAlert } from './open-alert.js';

export interface MonitorTick {
  readonly monitor: string;
  readonly projectId: string;
  readonly evaluation: MonitorEvaluation | null;
  readonly error: string | null;
  /** What the tick did to the monitor's alert. */
  readonly alert: { readonly id: string; readonly change: 'opened' | 'resolved' | 'still_open' | 'none' } | null;
  /** Why the monitor was not evaluated: it is paused, or its cohort's release is rolled back (traffic 0). */
  readonly stopped?: string;
}

/** Evaluates every enabled monitor that is not paused (see evaluateOneMonitor). */
export async function evaluateMonitors(store: Store, now: () => number = Date.now): Promise<MonitorTick[]> {
  const out: MonitorTick[] = [];
  for (const monitor of await store.monitors.listEnabled()) out.push(await evaluateOneMonitor(store, monitor, now));
  return out;
}

/**
 * Reads the monitor's series, evaluates it (src/core/monitor/evaluate-monitor.ts), stores the
 * evaluation, and moves its alert: opens one when it fires and none is unresolved (with rollback
 * rules and webhooks, src/monitor/open-alert.ts), resolves the open one when the signal recovered and
 * the monitor auto-resolves. Idempotent: evaluating twice changes nothing the second time.
 *
 * A paused monitor is not evaluated (nothing is recorded, no alert moves). A monitor whose cohort's
 * release is rolled back is not evaluated either (its traffic is 0: what is left in the window is
 * stale); it records that it stopped. After a rollback rule acted, the monitor reads only traces from
 * the action on (`evaluateFromMs`), so what was scored before the action cannot fire it again.
 */
export async function evaluateOneMonitor(store: Store, given: MonitorRecord, now: () => number = Date.now): Promise<MonitorTick> {
  // Read again: a pause, or a rollback rule's action, may have come after the caller read it.
  const monitor = await store.monitors.get(given.id);
  const spec = monitor.spec;
  if (monitor.paused) {
    return { monitor: monitor.name, projectId: monitor.projectId, evaluation: null, error: null, alert: null, stopped: `paused by ${monitor.paused.by} at ${monitor.paused.at}${monitor.paused.reason ? `: ${monitor.paused.reason}` : ''}` };
  }
  const stopped = await rolledBackCohort(store, monitor);
  if (stopped) {
    await store.monitors.recordEvaluation(monitor.id, { firing: false, stopped, summary: stopped, at: new Date(now()).toISOString() });
    return { monitor: monitor.name, projectId: monitor.projectId, evaluation: null, error: null, alert: null, stopped };
  }
  const rule = await store.onlineRules.find(monitor.projectId, spec.rule);
  if (!rule) {
    const error = `online rule ${spec.rule} does not exist`;
    await store.monitors.recordEvaluation(monitor.id, { error });
    return { monitor: monitor.name, projectId: monitor.projectId, evaluation: null, error, alert: null };
  }
  const t = now();
  let name: string | undefined;
  const projectName = async (): Promise<string> => (name ??= (await store.projects.findById(monitor.projectId))?.name ?? monitor.projectId);
  let evaluation: MonitorEvaluation;
  let detectability: StoredDetectability | null = null;
  const d = spec.detector;
  if (d.kind === 'judge-drift') {
    const drift = await judgeDrift(store, await projectName(), spec.metric, { bucketMs: d.bucketHours * 3_600_000, threshold: d.threshold, minItems: d.minItems, source: 'trace' });
    evaluation = evaluateMonitor(spec, { drift: drift.buckets.map((b) => ({ startMs: Date.parse(b.start), n: b.n, disagreements: b.disagreements })), nowMs: t });
  } else if (d.kind === 'canary') {
    const fromMs = Math.max(t - d.windowMinutes * 60_000, monitor.evaluateFromMs ?? -Infinity);
    const [canaryAliases, liveAliases] = await Promise.all([store.releases.aliases(monitor.projectId, d.canary), store.releases.aliases(monitor.projectId, d.live)]);
    const [canary, live] = await Promise.all([store.onlineScores.passWindow(rule.id, spec.metric, canaryAliases, fromMs), store.onlineScores.passWindow(rule.id, spec.metric, liveAliases, fromMs)]);
    // "Since" is the first canary trace in the window: the canary may have started after the window did.
    evaluation = evaluateMonitor(spec, { canary: { canary: { passed: canary.passed, total: canary.total }, live: { passed: live.passed, total: live.total }, startMs: Math.max(fromMs, canary.firstMs ?? fromMs) }, nowMs: t });
  } else if (d.kind === 'threshold') {
    const bucketMs = spec.bucketMinutes * 60_000;
    const fromMs = Math.max(t - d.windowMinutes * 60_000 - bucketMs, monitor.evaluateFromMs ?? -Infinity);
    const releaseAliases = spec.release === undefined ? undefined : await store.releases.aliases(monitor.projectId, spec.release);
    const raw = await store.onlineScores.passBuckets(rule.id, spec.metric, { release: releaseAliases, fromMs, bucketMs });
    const buckets: SeriesBucket[] = raw.map((b) => ({ ...b, endMs: b.startMs + bucketMs }));
    evaluation = evaluateMonitor(spec, { buckets, nowMs: t });
  } else {
    const buckets = await changeSeries(store, monitor, rule.id, spec, t);
    evaluation = evaluateMonitor(spec, { buckets, nowMs: t });
    // What the monitor can detect at this traffic (issue 15), kept with the evaluation; recomputed only when the traffic moved.
    detectability = monitorDetectability(spec, buckets, t, evaluation.baseline, monitor.lastEvaluation?.['detectability']);
  }
  await store.monitors.recordEvaluation(monitor.id, { ...evaluation, ...(detectability ? { detectability } : {}), at: new Date(t).toISOString() });
  const cohort = d.kind === 'canary' ? d.canary : (spec.release ?? 'all');
  const dedupeKey = `monitor:${monitor.id}:${cohort}`;
  const existing = await store.alerts.unresolved(monitor.projectId, dedupeKey);
  if (evaluation.firing) {
    if (existing) return { monitor: monitor.name, projectId: monitor.projectId, evaluation, error: null, alert: { id: existing.id, change: 'still_open' } };
    const release = d.kind === 'canary' ? d.canary : spec.release;
    const sinceMs = evaluation.sinceMs ?? t;
    const examples = d.kind === 'judge-drift' ? [] : await store.onlineScores.failingTraces(rule.id, spec.metric, { release: release === undefined ? undefined : await store.releases.aliases(monitor.projectId, release), fromMs: sinceMs, limit: 5 });
    const p = await projectName();
    const since = new Date(sinceMs).toISOString();
    const evidence: MonitorAlertEvidence = {
      monitor: monitor.name,
      rule: rule.name,
      metric: spec.metric,
      detector: d.kind,
      cohort: { release: release ?? null, ...(d.kind === 'canary' ? { live: d.live } : {}) },
      summary: evaluation.summary,
      baseline: evaluation.baseline,
      current: evaluation.current,
      ...(evaluation.baselineWindow ? { baselineCounts: evaluation.baselineWindow } : {}),
      delta: evaluation.delta,
      pValue: evaluation.pValue,
      since,
      detectedAt: new Date(evaluation.detectedAtMs ?? t).toISOString(),
      owner: spec.owner ?? null,
      exampleTraceIds: examples,
      commands: d.kind === 'judge-drift' ? judgeDriftCommands(p, spec.metric) : triageCommands(p, rule.name, spec.metric, release, since, examples),
    };
    const title = d.kind === 'judge-drift' ? `judge ${spec.metric} disagrees with reviewers on ${((1 - (evaluation.current.rate ?? 0)) * 100).toFixed(1)}% of production items (${monitor.name})` : `${spec.metric} ${d.kind === 'canary' ? `on canary ${d.canary}` : release ? `on ${release}` : ''} ${evaluation.delta !== null ? `${(evaluation.delta * 100).toFixed(1)} points` : 'moved'} (${monitor.name})`.replace(/\s+/g, ' ');
    const { alert, created } = await openAlert(store, { projectId: monitor.projectId, monitorId: monitor.id, ruleId: rule.id, kind: 'monitor', dedupeKey, severity: spec.severity, title, evidence }, { monitorName: monitor.name, nowMs: t, readEvaluateFromMs: monitor.evaluateFromMs });
    return { monitor: monitor.name, projectId: monitor.projectId, evaluation, error: null, alert: { id: alert.id, change: created ? 'opened' : alert.status === 'resolved' ? 'none' : 'still_open' } };
  }
  if (existing && spec.autoResolve && !evaluation.warmingUp) {
    const resolved = await moveAlert(store, existing.id, 'resolve', `monitor:${monitor.name}`, `signal recovered: ${evaluation.summary}`, 'recovered').catch(() => undefined);
    return { monitor: monitor.name, projectId: monitor.projectId, evaluation, error: null, alert: resolved ? { id: existing.id, change: 'resolved' } : { id: existing.id, change: 'still_open' } };
  }
  return { monitor: monitor.name, projectId: monitor.projectId, evaluation, error: null, alert: existing ? { id: existing.id, change: 'still_open' } : null };
}

/** Why the monitor's cohort is no longer evaluated (its release is rolled back), or null. */
async function rolledBackCohort(store: Store, monitor: MonitorRecord): Promise<string | null> {
  const cohort = monitorCohort(monitor.spec);
  if (cohort.kind === 'all') return null;
  const release = await store.releases.resolve(monitor.projectId, cohort.release).catch((e: unknown) => {
    if (e instanceof EvalOpsError && (e.code === 'not_found' || e.code === 'usage')) return undefined; // traces of a release EvalOps does not track
    throw e;
  });
  if (release?.status !== 'rolled_back') return null;
  return `${cohort.kind === 'canary' ? 'canary' : 'release'} ${cohort.release} is rolled back (traffic 0): the monitor no longer evaluates it; point it at a new ${cohort.kind === 'canary' ? 'canary' : 'release'} to watch again`;
}

/** What to run when the judge drifts from the reviewers: see the drift, rebuild the gold set, recalibrate. */
export function judgeDriftCommands(project: string, metric: string): string[] {
  return [
    `evalops judges --drift ${metric} --project ${project} --json`,
    `evalops review queues list --project ${project} --json`,
    `evalops gold freeze ${metric} --project ${project} --json`,
    `evalops calibrate ${metric} -c evalops.yaml --json`,
  ];
}

/** The commands an on-call person or a coding agent runs to triage (docs/agents.md walks through them). */
export function triageCommands(project: string, rule: string, metric: string, release: string | undefined, since: string, examples: readonly string[]): string[] {
  const rel = release ? ` --release ${release}` : '';
  const ids = examples.slice(0, 5).join(' ');
  return [
    `evalops online scores --project ${project} --rule ${rule} --metric ${metric}${rel} --since ${since} --failing --json`,
    ...(examples[0] ? [`evalops traces show ${examples[0]} --project ${project} --json`] : []),
    `evalops traces list --project ${project}${rel} --since ${since} --json`,
    ...(ids ? [`evalops traces promote ${ids} --project ${project} --dataset ${metric}-regressions --json`] : []),
    `evalops run -c evalops.yaml --json`,
    `evalops compare <baseline-run> <candidate-run> --json`,
  ];
}
