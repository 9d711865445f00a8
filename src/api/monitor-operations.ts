import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { AlertEvidenceSchema } from '../core/monitor/alert-evidence.js';
import { AlertResolutionKindSchema, AlertStatusSchema } from '../core/monitor/alert-lifecycle.js';
import { rollbackTargetCheck } from '../core/monitor/monitor-cohort.js';
import { MonitorSpecSchema } from '../core/monitor/monitor-spec.js';
import { detectorParamsProblem } from '../core/monitor/detector-registry.js';
import { evaluateOneMonitor } from '../monitor/evaluate-monitors.js';
import { monitorOutlook } from '../monitor/monitor-detectability.js';
import { moveAlert } from '../monitor/move-alert.js';
import { setMonitorPaused } from '../monitor/pause-monitor.js';
import type { AlertRecord } from '../store/alert-repository.js';
import type { MonitorRecord } from '../store/monitor-repository.js';
import { limitQuery, ProjectParams } from './api-schemas.js';
import { defineOperation } from './operation.js';
import { projectId } from './project-id.js';

/**
 * Monitors, their alerts, and the rollback rules that bind a release to a monitor.
 * `evalops monitors …`, `evalops alerts …`, `evalops releases rollback-rule …`.
 */

const MonitorParams = ProjectParams.extend({ monitor: z.string().min(1).max(200).describe('monitor name or id') });
const AlertParams = ProjectParams.extend({ alert: z.string().min(1).max(200) });
const ReleaseParams = ProjectParams.extend({ release: z.string().min(1).max(200).describe('a release id, or a release name (2.1.0), variant or variant prefix (4+ characters) of the project') });

const ArmingSchema = z
  .object({
    armed: z.boolean(),
    warmupTraces: z.number().describe('the monitor arms after this many traces of reference…'),
    warmupDays: z.number().describe('…or after its reference spans this many days, whichever comes first'),
    referenceTraces: z.number(),
    referenceDays: z.number(),
    observedPerDay: z.number().nullable().describe('scored traces per day over the lookback'),
    etaDays: z.number().nullable().describe('days until armed at the observed rate (0 once armed; null without traffic or if it cannot arm within the lookback)'),
    armsWithinLookback: z.boolean(),
  })
  .describe('change monitors: how the reference is learned and when the monitor arms');

const DetectabilitySchema = z
  .object({
    perDay: z.number(),
    reference: z.number(),
    dayRateSd: z.number().describe('between-day sd of the pass rate beyond binomial noise, estimated from the history'),
    shift: z.number().describe('the drop the figures are for (the detector param shift)'),
    armingDays: z.number(),
    horizonDays: z.number().describe('lookback less arming'),
    falseAlarmsPer30Days: z.number(),
    expectedDetectionDays: z.number().nullable().describe('mean days from a drop of shift to the alarm'),
    detectedWithinDay: z.number(),
    detectedWithinHorizon: z.number(),
    runs: z.object({ falseAlarm: z.number(), delay: z.number() }),
    warnings: z.array(z.string()),
    computedAt: z.string(),
  })
  .describe("change monitors: what the monitor can detect at its observed traffic, simulated from its detector's run-length distribution");

const MonitorViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  spec: z.record(z.string(), z.unknown()),
  lastEvaluation: z.record(z.string(), z.unknown()).nullable(),
  evaluatedAt: z.string().nullable(),
  openAlert: z.string().nullable(),
  paused: z
    .object({ at: z.string(), by: z.string(), reason: z.string().nullable() })
    .nullable()
    .describe('set while the monitor is paused (evalops monitors pause): it neither evaluates nor alerts'),
  evaluatingFrom: z.string().nullable().describe('after a rollback rule acted: the monitor reads its cohort from this time on only'),
  arming: ArmingSchema.nullable(),
  detectability: DetectabilitySchema.nullable(),
});

/** A stored figure read back through its schema (unknown keys dropped); null if absent or not of that shape. */
function storedAs<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

const AlertViewSchema = z.object({
  id: z.string(),
  kind: z.string(),
  monitorId: z.string().nullable(),
  status: AlertStatusSchema,
  severity: z.string(),
  title: z.string(),
  evidence: AlertEvidenceSchema,
  openedAt: z.string(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  acknowledgement: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolution: z.string().nullable(),
  resolvedAs: AlertResolutionKindSchema.nullable().describe('how it was resolved: acted (a rollback rule moved the release; see evidence.rollbackActions), recovered, manual'),
});

function alertView(a: AlertRecord): z.infer<typeof AlertViewSchema> {
  return { id: a.id, kind: a.kind, monitorId: a.monitorId, status: a.status, severity: a.severity, title: a.title, evidence: AlertEvidenceSchema.parse(a.evidence), openedAt: a.openedAt, acknowledgedBy: a.acknowledgedBy, acknowledgedAt: a.acknowledgedAt, acknowledgement: a.acknowledgement, resolvedBy: a.resolvedBy, resolvedAt: a.resolvedAt, resolution: a.resolution, resolvedAs: a.resolvedAs };
}

async function monitorView(ctx: { store: import('../store/store.js').Store }, m: MonitorRecord): Promise<z.infer<typeof MonitorViewSchema>> {
  const open = await ctx.store.alerts.list(m.projectId, { status: 'unresolved', monitorId: m.id, limit: 1 });
  return {
    id: m.id,
    name: m.name,
    enabled: m.enabled,
    spec: m.spec as unknown as Record<string, unknown>,
    lastEvaluation: m.lastEvaluation,
    evaluatedAt: m.evaluatedAt,
    openAlert: open[0]?.id ?? null,
    ...lifecycleView(m),
    arming: storedAs(ArmingSchema, m.lastEvaluation?.['arming']),
    detectability: storedAs(DetectabilitySchema, m.lastEvaluation?.['detectability']),
  };
}

function lifecycleView(m: MonitorRecord): Pick<z.infer<typeof MonitorViewSchema>, 'paused' | 'evaluatingFrom'> {
  return { paused: m.paused, evaluatingFrom: m.evaluateFromMs === null ? null : new Date(m.evaluateFromMs).toISOString() };
}

export const saveMonitor = defineOperation({
  id: 'saveMonitor',
  method: 'put',
  path: '/projects/{project}/monitors',
  summary: 'Creates or replaces a monitor (by name) on an online rule metric: change detection (CUSUM default), threshold, or canary vs live; for a change monitor the answer says when it arms and what it can detect at the traffic the rule already has',
  tags: ['monitors'],
  permission: 'online:manage',
  params: ProjectParams,
  body: z.strictObject({ monitor: MonitorSpecSchema }),
  response: MonitorViewSchema.extend({ created: z.boolean() }),
  async handle(ctx, { params, body }) {
    const project = await ctx.store.projects.ensure(params.project);
    const rule = await ctx.store.onlineRules.find(project.id, body.monitor.rule);
    if (!rule) throw new EvalOpsError('input', `monitor.rule: no online rule named ${body.monitor.rule} in project ${params.project}`);
    if (!rule.spec.metrics.some((m) => m.name === body.monitor.metric)) {
      throw new EvalOpsError('input', `monitor.metric: rule ${rule.name} has no metric ${body.monitor.metric} (it has ${rule.spec.metrics.map((m) => m.name).join(', ')})`);
    }
    const d = body.monitor.detector;
    if (d.kind === 'cusum' || d.kind === 'ewma' || d.kind === 'page-hinkley' || d.kind === 'shiryaev-roberts') {
      const problem = detectorParamsProblem(d.kind, d.params);
      if (problem) throw new EvalOpsError('input', `monitor.detector.params.${problem}`);
    }
    const { monitor, created } = await ctx.store.monitors.save(project.id, body.monitor);
    await ctx.store.audit.append(project.id, { actor: ctx.actor(), action: 'monitor.change', entityType: 'monitor', entityId: monitor.id, payload: { name: monitor.name, created, spec: body.monitor } });
    // What it will do at the traffic the rule already has: when it arms, what it can detect (issue 15).
    const outlook = await monitorOutlook(ctx.store, monitor, rule.id, monitor.spec, Date.now());
    return { ...(await monitorView(ctx, monitor)), created, arming: outlook.arming, detectability: storedAs(DetectabilitySchema, outlook.detectability) };
  },
});

export const listMonitors = defineOperation({
  id: 'listMonitors',
  method: 'get',
  path: '/projects/{project}/monitors',
  summary: 'Monitors with their last evaluation and open alert',
  tags: ['monitors'],
  permission: 'online:read',
  params: ProjectParams,
  response: z.object({ project: z.string(), monitors: z.array(MonitorViewSchema) }),
  async handle(ctx, { params }) {
    const id = await projectId(ctx.store, params.project);
    const monitors = await ctx.store.monitors.list(id);
    return { project: params.project, monitors: await Promise.all(monitors.map((m) => monitorView(ctx, m))) };
  },
});

export const getMonitor = defineOperation({
  id: 'getMonitor',
  method: 'get',
  path: '/projects/{project}/monitors/{monitor}',
  summary: 'One monitor with its last evaluation and its alerts',
  tags: ['monitors'],
  permission: 'online:read',
  params: MonitorParams,
  response: MonitorViewSchema.extend({ alerts: z.array(AlertViewSchema) }),
  async handle(ctx, { params }) {
    const id = await projectId(ctx.store, params.project);
    const monitor = await ctx.store.monitors.resolve(id, params.monitor);
    const alerts = await ctx.store.alerts.list(id, { monitorId: monitor.id, limit: 50 });
    return { ...(await monitorView(ctx, monitor)), alerts: alerts.map(alertView) };
  },
});

export const evaluateMonitorNow = defineOperation({
  id: 'evaluateMonitorNow',
  method: 'post',
  path: '/projects/{project}/monitors/{monitor}/evaluate',
  summary: 'Evaluates a monitor now (the worker does this every few seconds): opens or resolves its alert',
  tags: ['monitors'],
  permission: 'online:manage',
  params: MonitorParams,
  response: z.object({ monitor: z.string(), evaluation: z.record(z.string(), z.unknown()).nullable(), error: z.string().nullable(), alert: z.object({ id: z.string(), change: z.string() }).nullable() }),
  async handle(ctx, { params }) {
    const id = await projectId(ctx.store, params.project);
    const monitor = await ctx.store.monitors.resolve(id, params.monitor);
    if (monitor.paused) throw new EvalOpsError('conflict', `monitor ${monitor.name} is paused (by ${monitor.paused.by} at ${monitor.paused.at}): resume it to evaluate (evalops monitors resume ${monitor.name})`);
    const tick = await evaluateOneMonitor(ctx.store, monitor);
    return { monitor: tick.monitor, evaluation: tick.evaluation as unknown as Record<string, unknown> | null, error: tick.error, alert: tick.alert };
  },
});

function pauseOperation(paused: boolean) {
  return defineOperation({
    id: paused ? 'pauseMonitor' : 'resumeMonitor',
    method: 'post',
    path: `/projects/{project}/monitors/{monitor}/${paused ? 'pause' : 'resume'}`,
    summary: paused
      ? 'Pauses a monitor: it neither evaluates nor alerts until resumed; audited as monitor.pause with the reason'
      : 'Resumes a paused monitor: it evaluates again from its next tick; audited as monitor.resume',
    tags: ['monitors'],
    permission: 'online:manage',
    params: MonitorParams,
    body: z.strictObject({ reason: z.string().trim().min(1).max(2000).optional() }).default({}),
    response: MonitorViewSchema,
    async handle(ctx, { params, body }) {
      const id = await projectId(ctx.store, params.project);
      const monitor = await ctx.store.monitors.resolve(id, params.monitor);
      return monitorView(ctx, await setMonitorPaused(ctx.store, monitor, paused, ctx.actor(), body.reason ?? null));
    },
  });
}

export const pauseMonitor = pauseOperation(true);
export const resumeMonitor = pauseOperation(false);

export const listAlerts = defineOperation({
  id: 'listAlerts',
  method: 'get',
  path: '/projects/{project}/alerts',
  summary: 'Alerts, newest first: open, acknowledged, resolved, or all unresolved',
  tags: ['monitors'],
  permission: 'online:read',
  params: ProjectParams,
  query: z.object({ status: z.enum(['open', 'acknowledged', 'resolved', 'unresolved']).optional(), monitor: z.string().optional(), limit: limitQuery(50, 500) }),
  response: z.object({ project: z.string(), alerts: z.array(AlertViewSchema) }),
  async handle(ctx, { params, query }) {
    const id = await projectId(ctx.store, params.project);
    const monitorId = query.monitor ? (await ctx.store.monitors.resolve(id, query.monitor)).id : undefined;
    const alerts = await ctx.store.alerts.list(id, { ...(query.status ? { status: query.status } : {}), ...(monitorId ? { monitorId } : {}), limit: query.limit });
    return { project: params.project, alerts: alerts.map(alertView) };
  },
});

export const getAlert = defineOperation({
  id: 'getAlert',
  method: 'get',
  path: '/projects/{project}/alerts/{alert}',
  summary: 'One alert with its evidence: what moved, by how much, since when, the cohort, example traces, triage commands, rollback actions',
  tags: ['monitors'],
  permission: 'online:read',
  params: AlertParams,
  response: AlertViewSchema,
  async handle(ctx, { params }) {
    const id = await projectId(ctx.store, params.project);
    return alertView(await ctx.store.alerts.getInProject(id, params.alert));
  },
});


function moveOperation(action: 'acknowledge' | 'resolve') {
  return defineOperation({
    id: action === 'acknowledge' ? 'acknowledgeAlert' : 'resolveAlert',
    method: 'post',
    path: `/projects/{project}/alerts/{alert}/${action}`,
    summary: action === 'acknowledge' ? 'Acknowledges an alert (someone is on it)' : 'Resolves an alert, with a note on what was done',
    tags: ['monitors'],
    permission: 'alerts:write',
    params: AlertParams,
    body: z.strictObject({ note: z.string().max(2000).optional() }).default({}),
    response: AlertViewSchema,
    async handle(ctx, { params, body }) {
      const id = await projectId(ctx.store, params.project);
      const alert = await ctx.store.alerts.getInProject(id, params.alert);
      return alertView(await moveAlert(ctx.store, alert.id, action, ctx.actor(), body.note ?? null));
    },
  });
}

export const acknowledgeAlert = moveOperation('acknowledge');
export const resolveAlert = moveOperation('resolve');

const RollbackRuleViewSchema = z.object({ id: z.string(), release: z.string(), releaseName: z.string().nullable().describe('the release name (the first of its names), null when it has none'), variant: z.string(), monitor: z.string(), action: z.enum(['rollback', 'narrow']), percent: z.number().int().nullable(), createdBy: z.string(), createdAt: z.string() });
const ListedRollbackRuleSchema = RollbackRuleViewSchema.extend({
  inactive: z.string().nullable().describe('why the rule will not act: its monitor was changed to watch something else than this release (null when it acts)'),
});

export const saveRollbackRule = defineOperation({
  id: 'saveRollbackRule',
  method: 'put',
  path: '/projects/{project}/releases/{release}/rollback-rules',
  summary: 'Binds a monitor to a release it watches (its canary, or its release cohort; any other is 400): when it fires, the release is rolled back (or its canary narrowed), audited, and release.rollback sent',
  tags: ['releases'],
  permission: 'releases:write',
  params: ReleaseParams,
  body: z.strictObject({ monitor: z.string().min(1).max(200), action: z.enum(['rollback', 'narrow']).default('rollback'), percent: z.number().int().min(1).max(99).optional() }),
  response: RollbackRuleViewSchema,
  status: 201,
  async handle(ctx, { params, body }) {
    const id = await projectId(ctx.store, params.project);
    const release = await ctx.store.releases.resolve(id, params.release);
    const monitor = await ctx.store.monitors.resolve(id, body.monitor);
    if (body.action === 'narrow' && body.percent === undefined) throw new EvalOpsError('input', 'percent: a narrowing rule needs the canary percent to narrow to (1..99)');
    const { rule } = await ctx.store.rollbackRules.save({ projectId: id, releaseId: release.id, monitorId: monitor.id, action: body.action, percent: body.percent ?? null, createdBy: ctx.actor() });
    return { id: rule.id, release: release.id, releaseName: release.names[0] ?? null, variant: release.targetVariant, monitor: monitor.name, action: rule.action, percent: rule.percent, createdBy: rule.createdBy, createdAt: rule.createdAt };
  },
});

export const listRollbackRules = defineOperation({
  id: 'listRollbackRules',
  method: 'get',
  path: '/projects/{project}/releases/{release}/rollback-rules',
  summary: "A release's rollback rules",
  tags: ['releases'],
  permission: 'releases:read',
  params: ReleaseParams,
  query: z.object({ limit: limitQuery(100, 100) }),
  response: z.object({ release: z.string(), rules: z.array(ListedRollbackRuleSchema) }),
  async handle(ctx, { params }) {
    const id = await projectId(ctx.store, params.project);
    const release = await ctx.store.releases.resolve(id, params.release);
    const monitors = new Map((await ctx.store.monitors.list(id)).map((m) => [m.id, m]));
    const rules = await ctx.store.rollbackRules.forRelease(id, release.id);
    return {
      release: release.id,
      rules: rules.map((r) => {
        const monitor = monitors.get(r.monitorId);
        const check = monitor ? rollbackTargetCheck(monitor.name, monitor.spec, { id: release.id, variant: release.targetVariant, names: release.names }) : { ok: true as const };
        return { id: r.id, release: release.id, releaseName: release.names[0] ?? null, variant: release.targetVariant, monitor: monitor?.name ?? r.monitorId, action: r.action, percent: r.percent, createdBy: r.createdBy, createdAt: r.createdAt, inactive: check.ok ? null : check.message };
      }),
    };
  },
});

export const deleteRollbackRule = defineOperation({
  id: 'deleteRollbackRule',
  method: 'delete',
  path: '/projects/{project}/releases/{release}/rollback-rules/{monitor}',
  summary: 'Unbinds a monitor from a release: when it fires, the release is no longer moved; audited',
  tags: ['releases'],
  permission: 'releases:write',
  params: ReleaseParams.extend({ monitor: z.string().min(1).max(200).describe('monitor name or id') }),
  response: RollbackRuleViewSchema,
  async handle(ctx, { params }) {
    const id = await projectId(ctx.store, params.project);
    const release = await ctx.store.releases.resolve(id, params.release);
    const monitor = await ctx.store.monitors.resolve(id, params.monitor);
    const rule = await ctx.store.rollbackRules.remove(id, release.id, monitor.id, ctx.actor());
    if (!rule) throw new EvalOpsError('not_found', `release ${params.release} has no rollback rule on monitor ${params.monitor}`);
    return { id: rule.id, release: release.id, releaseName: release.names[0] ?? null, variant: release.targetVariant, monitor: monitor.name, action: rule.action, percent: rule.percent, createdBy: rule.createdBy, createdAt: rule.createdAt };
  },
});
