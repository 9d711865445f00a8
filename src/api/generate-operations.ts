import { z } from 'zod';
import { commitAccepted } from '../generate/commit-accepted.js';
import { queueCandidates } from '../generate/queue-candidates.js';
import { ProjectParams } from './api-schemas.js';
import { defineOperation } from './operation.js';

/**
 * Synthetic edge cases (`evalops generate`), through the API so that the command works on a server as
 * on the local store: the CLI asks its model for new inputs (with its config's providers, metered and
 * capped there) and sends the deduplicated candidates here, into a generation review queue; after
 * review, the accepted ones are committed into a dataset version. Nothing generated enters a dataset
 * without a reviewer's accept.
 */

const QueueName = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'queue names use letters, digits, ".", "_" and "-"');
const DatasetName = z.string().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'dataset names use letters, digits, ".", "_" and "-"');

const CandidateSchema = z.strictObject({
  input: z.unknown().refine((v) => v !== undefined && v !== null, 'input is required'),
  expected: z.unknown().optional(),
  rationale: z.string().max(2000).default(''),
});

export const queueGeneratedItems = defineOperation({
  id: 'queueGeneratedItems',
  method: 'post',
  path: '/projects/{project}/generate/items',
  summary: 'Puts generated inputs (source synthetic) in a generation review queue, created with labels accept and reject when it does not exist; an input already in the queue is skipped',
  tags: ['generate'],
  permission: 'reviews:manage',
  params: ProjectParams,
  body: z.strictObject({
    queue: QueueName.describe('the generation queue (a queue with other labels is refused)'),
    candidates: z.array(CandidateSchema).min(1).max(500),
    provenance: z.strictObject({
      model: z.string().min(1).max(200).describe('the model that generated them (provider:model)'),
      around: z.string().min(1).max(500).describe('what they were generated around: a slice, a persona, a cluster'),
      slice: z.string().min(1).max(200).regex(/^[^:\s]+:\S+$/, 'a slice is name:value').describe('the slice the items get'),
    }),
  }),
  response: z.object({ project: z.string(), queue: z.string(), queueId: z.string(), added: z.number().int(), skipped: z.number().int() }),
  status: 201,
  async handle(ctx, { params, body }) {
    const candidates = body.candidates.map((c) => ({ input: c.input, rationale: c.rationale, ...(c.expected === undefined ? {} : { expected: c.expected }) }));
    const r = await queueCandidates(ctx.store, params.project, body.queue, candidates, body.provenance, ctx.actor());
    return { project: params.project, queue: r.queue.name, queueId: r.queue.id, added: r.added, skipped: r.skipped };
  },
});

export const commitGeneratedItems = defineOperation({
  id: 'commitGeneratedItems',
  method: 'post',
  path: '/projects/{project}/generate/queues/{queue}/commit',
  summary: "Adds the accepted items of a generation queue to a new version of a dataset (source synthetic, the queue's slice, provenance in metadata); rejected and unsettled items stay out",
  tags: ['generate'],
  permission: 'datasets:write',
  params: ProjectParams.extend({ queue: z.string().min(1).max(200).describe('queue name or id') }),
  body: z.strictObject({ dataset: DatasetName }),
  response: z.object({
    project: z.string(),
    queue: z.string(),
    dataset: z.string(),
    version: z.string().describe('the hash of the dataset version holding the items'),
    created: z.boolean().describe('false when the version already held these examples'),
    committed: z.number().int(),
    rejected: z.number().int(),
    pending: z.number().int().describe('items not settled yet'),
    examples: z.number().int(),
  }),
  statusOf: (r) => (r.created ? 201 : 200),
  async handle(ctx, { params, body }) {
    const r = await commitAccepted(ctx.store, params.project, params.queue, body.dataset);
    return { project: params.project, queue: params.queue, ...r };
  },
});
