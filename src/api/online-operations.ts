import { z } from 'zod';
import { RequestOnlineRuleSpecSchema, type OnlineRuleSpec } from '../core/online/online-rule.js';
import { EvalOpsError } from '../core/errors.js';
import { SeriesSignalSchema, onlineSeries } from '../monitor/online-series.js';
import { judgeDrift } from '../review/judge-drift.js';
import { openJobQueue } from '../online/open-job-queue.js';
import { traceSpans } from '../traces/trace-service.js';
import type { RegisteredScorers } from '../scorers/registered-scorers.js';
import type { OnlineRuleRecord } from '../store/online-rule-repository.js';
import type { Store } from '../store/store.js';
import { limitQuery, ProjectParams, QueryBoolean } from './api-schemas.js';
import { defineOperation } from './operation.js';
import { projectId } from './project-id.js';

/**
 * Online rules and their output: the rules (filter, sample, metrics, flags), the scores they stored
 * per trace, the time series per cohort, and the job queue's state. `evalops online …`.
 */

const RuleParams = ProjectParams.extend({ rule: z.string().min(1).max(200).describe('rule name or id') });

const OnlineRuleViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  spec: z.record(z.string(), z.unknown()),
  cursorAt: z.string(),
  budgetSpentDay: z.string().nullable(),
  stats: z.object({ traces: z.number().int(), sampled: z.number().int(), flagged: z.number().int(), spentUsd: z.number(), spentTodayUsd: z.number() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});

async function ruleView(store: Store, rule: OnlineRuleRecord): Promise<z.infer<typeof OnlineRuleViewSchema>> {
  const all = await store.onlineScores.ruleStats(rule.id);
  const today = await store.onlineScores.ruleStats(rule.id, `${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
  return {
    id: rule.id,
    name: rule.name,
    enabled: rule.enabled,
    spec: rule.spec as unknown as Record<string, unknown>,
    cursorAt: rule.cursorAt,
    budgetSpentDay: rule.budgetSpentDay,
    stats: { ...all, spentTodayUsd: today.spentUsd },
    createdAt: rule.createdAt,
    updatedAt: rule.updatedAt,
  };
}

export const saveOnlineRule = defineOperation({
  id: 'saveOnlineRule',
  method: 'put',
  path: '/projects/{project}/online/rules',
  summary: 'Creates or replaces an online rule (by name): filter, sample rate, metrics, flags, review queue, budget',
  tags: ['online'],
  permission: 'online:manage',
  params: ProjectParams,
  body: z.strictObject({
    rule: RequestOnlineRuleSpecSchema.describe('declarative scorers, or scorers registered by the operator by `name` (listScorers); no parameter names a file'),
    enabled: z.boolean().default(true),
    backfill: z.boolean().default(false).describe('a new rule also considers traces stored before it was created'),
  }),
  response: OnlineRuleViewSchema.extend({ created: z.boolean() }),
  async handle(ctx, { params, body }) {
    refuseCommandScorers(body.rule);
    if (ctx.scorers) checkRegisteredNames(body.rule, ctx.scorers);
    const project = await ctx.store.projects.ensure(params.project);
    const { rule, created } = await ctx.store.onlineRules.save(project.id, body.rule, { enabled: body.enabled, backfill: body.backfill });
    await ctx.store.audit.append(project.id, { actor: ctx.actor(), action: 'online.rule', entityType: 'online_rule', entityId: rule.id, payload: { name: rule.name, created, enabled: rule.enabled, sampleRate: rule.spec.sampleRate, metrics: rule.spec.metrics.map((m) => m.name) } });
    return { ...(await ruleView(ctx.store, rule)), created };
  },
});

/** A command scorer runs a program: only a config file on the machine that runs it may name one, never a request. */
function refuseCommandScorers(spec: OnlineRuleSpec): void {
  spec.metrics.forEach((metric, i) => {
    if (metric.scorer.type === 'command' || (metric.scorer.type === 'per-turn' && metric.scorer.scorer.type === 'command')) throw new EvalOpsError('input', `body field rule.metrics.${i}.scorer.type: a command scorer runs a program and is allowed in a config file only; an online rule runs code only as a registered scorer ({ type: function, name })`);
  });
}

/** A function scorer names a scorer this server registered; checked before anything is stored. */
function checkRegisteredNames(spec: OnlineRuleSpec, scorers: RegisteredScorers): void {
  spec.metrics.forEach((metric, i) => {
    const scorer = metric.scorer;
    if (scorer.type !== 'function' || scorer.name === undefined) return;
    if (scorers.get(scorer.name)) return;
    const names = scorers.list().map((s) => s.name);
    throw new EvalOpsError('input', `body field rule.metrics.${i}.scorer.name: no scorer registered as "${scorer.name}" (${names.length > 0 ? `registered: ${names.join(', ')}` : 'none registered; the operator registers scorers with `evalops serve --scorers DIR`'})`);
  });
}

export const listScorers = defineOperation({
  id: 'listScorers',
  method: 'get',
  path: '/scorers',
  summary: 'The scorers the operator registered (`evalops serve --scorers DIR`), which online rules name as `{ type: function, name }`',
  tags: ['online'],
  permission: 'online:read',
  params: z.object({}),
  response: z.object({
    configured: z.boolean().describe('whether this server was given a scorers directory'),
    scorers: z.array(z.object({ name: z.string(), fingerprint: z.string().describe('hash of the module and its local imports: a new one starts a new scorer version') })),
  }),
  async handle(ctx) {
    const scorers = ctx.scorers;
    return { configured: scorers?.dir != null, scorers: (scorers?.list() ?? []).map((s) => ({ name: s.name, fingerprint: s.fingerprint })) };
  },
});

export const listOnlineRules = defineOperation({
  id: 'listOnlineRules',
  method: 'get',
  path: '/projects/{project}/online/rules',
  summary: 'Online rules of a project with what they scored',
  tags: ['online'],
  permission: 'online:read',
  params: ProjectParams,
  response: z.object({ project: z.string(), rules: z.array(OnlineRuleViewSchema) }),
  async handle(ctx, { params }) {
    const id = await projectId(ctx.store, params.project);
    const rules = await ctx.store.onlineRules.list(id);
    return { project: params.project, rules: await Promise.all(rules.map((r) => ruleView(ctx.store, r))) };
  },
});

export const getOnlineRule = defineOperation({
  id: 'getOnlineRule',
  method: 'get',
  path: '/projects/{project}/online/rules/{rule}',
  summary: 'One online rule with what it scored',
  tags: ['online'],
  permission: 'online:read',
  params: RuleParams,
  response: OnlineRuleViewSchema,
  async handle(ctx, { params }) {
    const id = await projectId(ctx.store, params.project);
    return ruleView(ctx.store, await ctx.store.onlineRules.resolve(id, params.rule));
  },
});

export const setOnlineRuleEnabled = defineOperation({
  id: 'setOnlineRuleEnabled',
  method: 'post',
  path: '/projects/{project}/online/rules/{rule}/enabled',
  summary: 'Pauses or resumes an online rule',
  tags: ['online'],
  permission: 'online:manage',
  params: RuleParams,
  body: z.strictObject({ enabled: z.boolean() }),
  response: OnlineRuleViewSchema,
  async handle(ctx, { params, body }) {
    const id = await projectId(ctx.store, params.project);
    const rule = await ctx.store.onlineRules.resolve(id, params.rule);
    await ctx.store.onlineRules.setEnabled(rule.id, body.enabled);
    await ctx.store.audit.append(id, { actor: ctx.actor(), action: 'online.rule', entityType: 'online_rule', entityId: rule.id, payload: { name: rule.name, enabled: body.enabled } });
    return ruleView(ctx.store, await ctx.store.onlineRules.get(rule.id));
  },
});

const ScoreViewSchema = z.object({
  metric: z.string(),
  status: z.string(),
  value: z.number().nullable(),
  pass: z.boolean().nullable(),
  label: z.string().nullable(),
  reason: z.string().nullable(),
  scorerVersion: z.string(),
});

export const listOnlineScores = defineOperation({
  id: 'listOnlineScores',
  method: 'get',
  path: '/projects/{project}/online/rules/{rule}/scores',
  summary: "A metric's online scores, newest trace first (failing only, on request): the traces behind an alert",
  tags: ['online'],
  permission: 'online:read',
  params: RuleParams,
  query: z.object({
    metric: z.string().min(1).max(64),
    release: z.string().min(1).optional(),
    since: z.string().datetime({ offset: true }).optional().describe('traces started at or after (ISO time)'),
    failing: QueryBoolean.optional(),
    limit: limitQuery(50, 1000),
  }),
  response: z.object({
    rule: z.string(),
    metric: z.string(),
    scores: z.array(ScoreViewSchema.extend({ traceId: z.string(), traceStart: z.string(), release: z.string().nullable(), sampled: z.boolean() })),
  }),
  async handle(ctx, { params, query }) {
    const id = await projectId(ctx.store, params.project);
    const rule = await ctx.store.onlineRules.resolve(id, params.rule);
    const rows = await ctx.store.onlineScores.listScores(rule.id, query.metric, {
      release: query.release === undefined ? undefined : await ctx.store.releases.aliases(id, query.release),
      ...(query.since ? { fromMs: Date.parse(query.since) } : {}),
      failing: query.failing ?? false,
      limit: query.limit,
    });
    return {
      rule: rule.name,
      metric: query.metric,
      scores: rows.map((r) => ({ metric: r.metric, status: r.status, value: r.value, pass: r.pass, label: r.label, reason: r.reason, scorerVersion: r.scorerVersion, traceId: r.traceId, traceStart: new Date(r.traceStartMs).toISOString(), release: r.release, sampled: r.sampled })),
    };
  },
});

export const getTraceOnlineScores = defineOperation({
  id: 'getTraceOnlineScores',
  method: 'get',
  path: '/projects/{project}/traces/{trace}/online-scores',
  summary: "Every online rule's scores and flags on one trace",
  tags: ['online'],
  permission: 'online:read',
  params: ProjectParams.extend({ trace: z.string().regex(/^[0-9a-fA-F]{32}$/, 'a trace id is 32 hex digits') }),
  response: z.object({
    traceId: z.string(),
    rules: z.array(z.object({ rule: z.string(), sampled: z.boolean(), flags: z.array(z.string()), scoredAt: z.string(), scoringCostUsd: z.number(), scores: z.array(ScoreViewSchema) })),
  }),
  async handle(ctx, { params }) {
    const id = await projectId(ctx.store, params.project);
    await traceSpans(ctx.store, params.project, params.trace); // 404 for a trace the project never ingested, as for one that does not exist
    const traces = await ctx.store.onlineScores.forTrace(id, params.trace.toLowerCase());
    const names = new Map((await ctx.store.onlineRules.list(id)).map((r) => [r.id, r.name]));
    return {
      traceId: params.trace.toLowerCase(),
      rules: traces.map((t) => ({ rule: names.get(t.ruleId) ?? t.ruleId, sampled: t.sampled, flags: [...t.flags], scoredAt: t.scoredAt, scoringCostUsd: t.scoringCostUsd, scores: t.scores.map((s) => ({ ...s })) })),
    };
  },
});

export const getOnlineSeries = defineOperation({
  id: 'getOnlineSeries',
  method: 'get',
  path: '/projects/{project}/online/rules/{rule}/series',
  summary: 'A time series of sampled traces per cohort: pass rate or mean score of a metric, latency, error rate, cost per success, negative-feedback rate',
  tags: ['online'],
  permission: 'online:read',
  params: RuleParams,
  query: z.object({
    signal: z.union([SeriesSignalSchema, z.literal('judge_human_disagreement')]).default('pass_rate').describe('judge_human_disagreement: the share of reviewed production items where the metric\'s judge and the people disagree (one cohort, "all")'),
    metric: z.string().min(1).max(64).optional(),
    by: z.string().min(1).max(200).default('release').describe('release, variant, a cohort attribute of the rule, or all'),
    bucketMinutes: z.coerce.number().int().min(1).max(10_080).default(60),
    since: z.string().datetime({ offset: true }).optional(),
    until: z.string().datetime({ offset: true }).optional(),
  }),
  response: z.object({ rule: z.string(), signal: z.string(), metric: z.string().nullable(), by: z.string(), bucketMinutes: z.number().int(), cells: z.array(z.object({ start: z.string(), cohort: z.string(), n: z.number().int(), value: z.number().nullable() })) }),
  async handle(ctx, { params, query }) {
    const id = await projectId(ctx.store, params.project);
    const rule = await ctx.store.onlineRules.resolve(id, params.rule);
    const toMs = query.until ? Date.parse(query.until) : Date.now() + 60_000;
    const fromMs = query.since ? Date.parse(query.since) : toMs - 7 * 24 * 3_600_000;
    const metric = query.metric ?? rule.spec.metrics[0]?.name;
    const bucketMs = query.bucketMinutes * 60_000;
    if (query.signal === 'judge_human_disagreement') {
      if (!metric) throw new EvalOpsError('input', 'metric: name the judge metric whose disagreement with reviewers to chart');
      const drift = await judgeDrift(ctx.store, params.project, metric, { bucketMs, source: 'trace' });
      const cells = drift.buckets.filter((b) => Date.parse(b.start) >= fromMs && Date.parse(b.start) < toMs).map((b) => ({ start: b.start, cohort: 'all', n: b.n, value: b.rate }));
      return { rule: rule.name, signal: query.signal, metric, by: 'all', bucketMinutes: query.bucketMinutes, cells };
    }
    const cells = await onlineSeries(ctx.store, rule.id, { ...(metric ? { metric } : {}), signal: query.signal, by: query.by, fromMs, toMs, bucketMs });
    return { rule: rule.name, signal: query.signal, metric: metric ?? null, by: query.by, bucketMinutes: query.bucketMinutes, cells: cells.map((c) => ({ start: new Date(c.startMs).toISOString(), cohort: c.cohort, n: c.n, value: c.value })) };
  },
});

export const getOnlineJobs = defineOperation({
  id: 'getOnlineJobs',
  method: 'get',
  path: '/projects/{project}/online/jobs',
  summary: "The project's part of the online scoring queue (the queue is the instance's, shared by its projects): counts by state and the dead-lettered jobs of the project's rules",
  tags: ['online'],
  permission: 'online:manage',
  params: ProjectParams,
  query: z.object({ limit: limitQuery(20, 500) }),
  response: z.object({ queue: z.string(), counts: z.object({ queued: z.number().int(), active: z.number().int(), completed: z.number().int(), failed: z.number().int() }), failed: z.array(z.object({ id: z.string(), key: z.string(), attempts: z.number().int(), error: z.string().nullable(), failedAt: z.string() })) }),
  async handle(ctx, { params, query }) {
    // Jobs of this project's rules only: a failed job's key and error name another project's traces.
    const only = { ruleIds: (await ctx.store.onlineRules.list(await projectId(ctx.store, params.project))).map((r) => r.id) };
    const queue = openJobQueue(ctx.store);
    try {
      const [counts, failed] = await Promise.all([queue.counts(only), queue.failed(query.limit, only)]);
      return { queue: queue.kind, counts, failed: failed.map((f) => ({ id: f.id, key: f.key, attempts: f.attempts, error: f.error, failedAt: f.failedAt })) };
    } finally {
      await queue.stop();
    }
  },
});
