import { z } from 'zod';
import { TranscriptSchema } from '../core/transcript.js';
import { promoteSession as promoteIntoDataset, sessionTranscriptView } from '../traces/session-service.js';
import { ProjectParams } from './api-schemas.js';
import { defineOperation } from './operation.js';

/**
 * Production sessions as conversations: a session's transcript with its session scores, and its
 * promotion into a conversation example. `evalops sessions transcript|promote`.
 */

const SessionParams = ProjectParams.extend({ sessionId: z.string().min(1).max(500) });
const DatasetName = z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'dataset names use letters, digits, ".", "_" and "-"').max(200);

const SessionScoreSchema = z.object({
  metric: z.string(),
  status: z.string(),
  value: z.number().nullable(),
  pass: z.boolean().nullable(),
  label: z.string().nullable(),
  reason: z.string().nullable(),
  scorerVersion: z.string(),
});

const SessionRuleViewSchema = z.object({
  rule: z.string(),
  pending: z.boolean().describe('traces arrived that no scoring covers yet'),
  ended: z.boolean().describe('a span carried evalops.session.end since the last scoring'),
  scorings: z.number().int(),
  scoredAt: z.string().nullable(),
  scoredTraces: z.number().int().nullable(),
  sampled: z.boolean().nullable().describe('null when the last scoring stored no scores (neither sampled nor flagged)'),
  flags: z.array(z.string()),
  scores: z.array(SessionScoreSchema),
});

export const getSessionTranscript = defineOperation({
  id: 'getSessionTranscript',
  method: 'get',
  path: '/projects/{project}/sessions/{sessionId}/transcript',
  summary: "A session's traces as a transcript (one turn per trace: user message, answer, tool calls with errors), with every session rule's state, flags and scores",
  tags: ['traces'],
  permission: 'traces:read',
  params: SessionParams,
  response: z.object({ project: z.string(), sessionId: z.string(), traceIds: z.array(z.string()), transcript: TranscriptSchema, rules: z.array(SessionRuleViewSchema) }),
  async handle(ctx, { params }) {
    const view = await sessionTranscriptView(ctx.store, params.project, params.sessionId);
    return { project: params.project, sessionId: view.sessionId, traceIds: [...view.traceIds], transcript: view.transcript, rules: view.rules.map((r) => ({ ...r, flags: [...r.flags], scores: r.scores.map((s) => ({ ...s })) })) };
  },
});

export const promoteSessionOperation = defineOperation({
  id: 'promoteSession',
  method: 'post',
  path: '/projects/{project}/sessions/{sessionId}/promote',
  summary: 'Adds a session to a new version of a dataset as a conversation example: its user turns (conversation.kind turns), the first as input, source trace',
  tags: ['traces'],
  permission: 'datasets:write',
  params: SessionParams,
  body: z.strictObject({ dataset: DatasetName }),
  response: z.object({
    project: z.string(),
    sessionId: z.string(),
    dataset: z.string(),
    version: z.string().describe('the hash of the dataset version holding the example'),
    created: z.boolean().describe('false when the version already held this example as it is'),
    exampleId: z.string(),
    turns: z.number().int(),
    examples: z.number().int(),
  }),
  statusOf: (r) => (r.created ? 201 : 200),
  async handle(ctx, { params, body }) {
    const r = await promoteIntoDataset(ctx.store, params.project, params.sessionId, body.dataset);
    return { project: params.project, sessionId: params.sessionId, dataset: r.dataset, version: r.version.hash, created: r.created, exampleId: r.exampleId, turns: r.turns, examples: r.examples };
  },
});
