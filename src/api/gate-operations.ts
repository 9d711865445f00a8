import { GateModeSchema } from '../core/gate/pr-subset.js';
import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { GateConfigSchema } from '../core/gate-config.js';
import { CoverageConfigSchema } from '../core/coverage/coverage-config.js';
import { GateDecisionDocumentSchema, GateOutcomeSchema } from '../core/gate/gate-decision.js';
import { MetricAnnotationSchema } from '../core/gate/metric-annotation.js';
import { runGate } from '../gate/gate-service.js';
import { isHttpUrl, overrideDecision } from '../gate/override-decision.js';
import type { GateDecisionRecord } from '../store/gate-decision-repository.js';
import { runTarget, variantName } from '../core/target-label.js';
import { encodePageCursor, PageCursorSchema } from '../traces/page-cursor.js';
import { limitQuery, ProjectParams } from './api-schemas.js';
import type { ApiContext } from './api-context.js';
import { keyScope } from './key-scope.js';
import { defineOperation } from './operation.js';
import { projectId } from './project-id.js';

/**
 * Gate decisions and overrides: `evalops gate`, `gate list|show`, `gate override`. A server has no
 * config file, so a decision request carries the policy (the config's `gate:` section) and what the
 * config says of the metrics; the decision records the policy — its admins included — so an override
 * is judged by what was recorded, on a laptop and on a server alike.
 */

export const OverrideSchema = z.object({
  id: z.string(),
  decisionId: z.string(),
  actor: z.string(),
  role: z.string(),
  reason: z.string(),
  evidenceUrl: z.string(),
  outcome: GateOutcomeSchema,
  rolloutPercent: z.number().int().nullable().describe('the percentage of an override to narrow'),
  createdAt: z.string(),
});

/** A stored decision: its document, the outcome in force and the overrides that set it. */
export const StoredDecisionSchema = GateDecisionDocumentSchema.extend({
  effectiveOutcome: GateOutcomeSchema,
  effectiveRolloutPercent: z.number().int().nullable().describe('the rollout percentage in force: the latest override\'s, else the decision\'s own'),
  variantName: z.string().describe("the candidate's variant as people read it: its target's label and a short hash"),
  overrides: z.array(OverrideSchema),
});
export type StoredDecision = z.infer<typeof StoredDecisionSchema>;

export const DecisionListItemSchema = z.object({
  decisionId: z.string(),
  createdAt: z.string(),
  outcome: GateOutcomeSchema,
  effectiveOutcome: GateOutcomeSchema,
  rolloutPercent: z.number().int().nullable(),
  effectiveRolloutPercent: z.number().int().nullable(),
  candidateRunId: z.string(),
  baselineRunId: z.string().nullable(),
  variant: z.string(),
  variantName: z.string(),
  summary: z.string(),
  owners: z.array(z.string()),
  overrides: z.number().int(),
});

export const DecideGateBodySchema = z.object({
  policy: GateConfigSchema.describe("the gate policy: the config's `gate:` section (baseline, admins, rules)"),
  metrics: z.array(MetricAnnotationSchema).max(1000).optional().describe("the config's metrics (owner, failureClass, lifecycle), over what the candidate run recorded"),
  candidate: z.string().min(1).max(200).optional().describe('the run to gate (default: the newest completed run)'),
  baseline: z.string().min(1).max(200).optional().describe("the run to compare with (default: the policy's baseline)"),
  commonExamples: z.boolean().default(false).describe('allow a baseline of another dataset version, compared on shared examples'),
  coverage: CoverageConfigSchema.optional().describe("the config's `coverage:` section: how traces map to the dataset's slices, for minCoverage rules and the decision's coverage line"),
  mode: GateModeSchema.optional().describe('pr: a gate on a subset run that blocks only on effects the subset can detect (the default for a subset run); full: the whole dataset'),
});
export type DecideGateBody = z.input<typeof DecideGateBodySchema>;

export const OverrideBodySchema = z
  .object({
    reason: z.string().trim().min(10, 'must say why in at least 10 characters').max(4000),
    evidence: z.string().max(2000).refine(isHttpUrl, 'must be an http(s) URL to the evidence (dashboard, review, ticket)'),
    outcome: z.enum(['approve', 'narrow']).default('approve'),
    percent: z.number().int().min(1).max(99).optional().describe('the rollout percentage of an override to narrow'),
    project: z.string().min(1).max(200).optional().describe('when given, the decision must belong to this project'),
    admins: z.array(z.string().min(1).max(320)).max(1000).optional().describe("the CLI's local mode only: the local config's gate.admins; a server refuses it"),
  })
  .superRefine((body, ctx) => {
    if (body.outcome === 'narrow' && body.percent === undefined) ctx.addIssue({ code: 'custom', path: ['percent'], message: 'an override to narrow needs percent 1..99' });
  });
export type OverrideBody = z.input<typeof OverrideBodySchema>;

export const OverrideResultSchema = z.object({
  override: OverrideSchema,
  decision: z.object({ id: z.string(), outcome: GateOutcomeSchema, effectiveOutcome: GateOutcomeSchema }),
  release: z.object({ id: z.string(), status: z.string(), canaryPercent: z.number().int().nullable() }).nullable(),
});

const DecisionParams = z.object({ decisionId: z.string().min(1).max(200) });

export const decideGate = defineOperation({
  id: 'decideGate',
  method: 'post',
  path: '/projects/{project}/gate-decisions',
  summary: 'Evaluate a gate policy on a candidate run against its baseline, and record the decision (with its audit entry and release move)',
  tags: ['gate'],
  permission: 'gate:decide',
  status: 201,
  params: ProjectParams,
  body: DecideGateBodySchema,
  response: GateDecisionDocumentSchema,
  async handle(ctx, { params, body }) {
    return runGate(
      ctx.store,
      { project: params.project, gate: body.policy, ...(body.metrics ? { metrics: body.metrics } : {}), ...(body.coverage ? { coverage: body.coverage } : {}) },
      { actor: ctx.actor(), commonExamples: body.commonExamples, ...(body.mode ? { mode: body.mode } : {}), ...(body.candidate ? { candidate: body.candidate } : {}), ...(body.baseline ? { baseline: body.baseline } : {}) },
    );
  },
});

export const listGateDecisions = defineOperation({
  id: 'listGateDecisions',
  method: 'get',
  path: '/projects/{project}/gate-decisions',
  summary: 'Gate decisions of a project, newest first, with the outcome in force after overrides, a page at a time (cursor)',
  tags: ['gate'],
  permission: 'releases:read',
  params: ProjectParams,
  query: z.object({ limit: limitQuery(20, 1000), cursor: PageCursorSchema.optional().describe('nextCursor of the previous page') }),
  response: z.object({ project: z.string(), decisions: z.array(DecisionListItemSchema), nextCursor: z.string().optional().describe('the next page: pass it as `cursor`; absent on the last page') }),
  async handle(ctx, { params, query }) {
    const id = await projectId(ctx.store, params.project);
    const after = query.cursor === undefined ? undefined : { createdAt: new Date(query.cursor.timeMs).toISOString(), id: query.cursor.id };
    const heads = await ctx.store.decisions.heads(id, { limit: query.limit + 1, ...(after ? { after } : {}) });
    const page = heads.slice(0, query.limit);
    const last = page.at(-1);
    return {
      project: params.project,
      decisions: page.map((d) => ({
        decisionId: d.id,
        createdAt: d.createdAt,
        outcome: d.outcome,
        effectiveOutcome: d.effectiveOutcome,
        rolloutPercent: d.rolloutPercent,
        effectiveRolloutPercent: d.effectiveRolloutPercent,
        candidateRunId: d.candidateRunId,
        baselineRunId: d.baselineRunId,
        variant: d.variant,
        variantName: variantName({ type: d.targetType ?? 'target', variant: d.variant, label: d.targetLabel }),
        summary: d.summary,
        owners: [...d.owners],
        overrides: d.overrides,
      })),
      ...(heads.length > query.limit && last ? { nextCursor: encodePageCursor({ timeMs: Date.parse(last.createdAt), id: last.id }) } : {}),
    };
  },
});

export const getGateDecision = defineOperation({
  id: 'getGateDecision',
  method: 'get',
  path: '/gate-decisions/{decisionId}',
  summary: 'One gate decision: its document (findings, evidence, comparisons), the outcome in force and its overrides',
  tags: ['gate'],
  permission: 'releases:read',
  params: DecisionParams,
  response: StoredDecisionSchema,
  async handle(ctx, { params }) {
    const d = await decisionInScope(ctx, params.decisionId);
    const run = await ctx.store.runs.get(d.candidateRunId);
    return { ...d.document, effectiveOutcome: d.effectiveOutcome, effectiveRolloutPercent: d.effectiveRolloutPercent, variantName: runTarget(run).name, overrides: [...d.overrides] };
  },
});

export const overrideGateDecision = defineOperation({
  id: 'overrideGateDecision',
  method: 'post',
  path: '/gate-decisions/{decisionId}/overrides',
  summary: "Override a decision: the owner of every failed metric or a gate admin (the policy's admins, or an admin key), with a reason and an evidence link",
  tags: ['gate'],
  permission: 'gate:override',
  status: 201,
  params: DecisionParams,
  body: OverrideBodySchema,
  response: OverrideResultSchema,
  async handle(ctx, { params, body }) {
    if (ctx.principal !== null && body.admins !== undefined) {
      throw new EvalOpsError('usage', 'body field admins: a server takes gate admins only from the policy recorded with the decision');
    }
    await decisionInScope(ctx, params.decisionId);
    return overrideDecision(ctx.store, {
      decisionId: params.decisionId,
      actor: ctx.actor(),
      reason: body.reason,
      evidence: body.evidence,
      outcome: body.outcome,
      ...(body.percent === undefined ? {} : { rolloutPercent: body.percent }),
      ...(body.project === undefined ? {} : { project: body.project }),
      ...(body.admins === undefined ? {} : { admins: body.admins }),
      actorIsAdmin: ctx.principal?.role === 'admin',
    });
  },
});

/** The decision; 404 for a decision of another project than the key's, as for one that does not exist. */
async function decisionInScope(ctx: ApiContext, decisionId: string): Promise<GateDecisionRecord<z.infer<typeof GateDecisionDocumentSchema>>> {
  return ctx.store.decisions.getInProject(keyScope(ctx), decisionId, GateDecisionDocumentSchema);
}
