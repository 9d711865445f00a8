import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { ROUTE_RULES, type RouteRule } from '../core/review/routing-rule.js';
import { JudgeVerdictSchema } from '../core/review/review-item.js';
import { RubricSchema } from '../core/review/rubric.js';
import { promoteReviewItem as promoteItem } from '../review/promote-review-item.js';
import { queueAgreement } from '../review/queue-agreement.js';
import { MAX_LEASE_MINUTES, createReviewQueue as createQueue, getReviewQueue as queueWithProgress, listReviewQueues as queuesWithProgress } from '../review/review-queue-service.js';
import { adjudicateReviewItem as adjudicate, giveBackReviewItem, labelReviewItem as label, nextReviewItem as next } from '../review/review-work.js';
import { DEFAULT_LEASE_MINUTES } from '../store/review-repository.js';
import { queueOf } from '../review/review-scope.js';
import { addTraceItems, routeRunResults } from '../review/route-items.js';
import { parseTraceListQuery } from '../traces/trace-query.js';
import { selectTraceIds } from '../traces/trace-service.js';
import { agreementView, AgreementViewSchema } from './agreement-view.js';
import { limitQuery, ProjectParams } from './api-schemas.js';
import { defineOperation } from './operation.js';
import { itemView, labelView, queueView, ReviewItemViewSchema, ReviewLabelViewSchema, ReviewQueueViewSchema } from './review-schemas.js';

/**
 * Human review: queues with a rubric and reviewers, items routed from run results (by rule, by a
 * random sample, by hand) and from traces, one item at a time to each reviewer, labels, agreement,
 * adjudication, and promotion of settled items into datasets. `evalops review …`. The reviewer is
 * the caller: the API key's name on a server, --actor (or git's user.email) in the CLI.
 */

const QueueParams = ProjectParams.extend({ queue: z.string().min(1).max(200).describe('queue name or id') });
const ItemParams = QueueParams.extend({ item: z.string().min(1).max(200).describe('review item id') });
const ReviewerName = z.string().trim().min(1).max(200);

export const listReviewQueues = defineOperation({
  id: 'listReviewQueues',
  method: 'get',
  path: '/projects/{project}/review/queues',
  summary: 'Review queues of a project with their progress',
  tags: ['review'],
  permission: 'reviews:read',
  params: ProjectParams,
  response: z.object({ project: z.string(), queues: z.array(ReviewQueueViewSchema) }),
  async handle(ctx, { params }) {
    const queues = await queuesWithProgress(ctx.store, params.project);
    return { project: params.project, queues: queues.map((q) => queueView(q.queue, q.progress)) };
  },
});

export const createReviewQueue = defineOperation({
  id: 'createReviewQueue',
  method: 'post',
  path: '/projects/{project}/review/queues',
  summary: 'Creates a review queue for a metric: its rubric, reviewers, and reviewers per item',
  tags: ['review'],
  permission: 'reviews:manage',
  params: ProjectParams,
  body: z.strictObject({
    name: z.string().min(1).max(64),
    metric: z.string().min(1).max(64),
    rubric: RubricSchema,
    reviewers: z.array(ReviewerName).max(200).default([]).describe('who may take items; empty: any key with the reviewer role'),
    reviewersPerItem: z.number().int().min(1).max(20).default(1),
    leaseMinutes: z.number().int().min(1).max(MAX_LEASE_MINUTES).default(DEFAULT_LEASE_MINUTES).describe('minutes an unlabelled assignment holds its item before it returns to the queue'),
  }),
  response: ReviewQueueViewSchema,
  status: 201,
  async handle(ctx, { params, body }) {
    const queue = await createQueue(ctx.store, params.project, body, ctx.actor());
    return queueView(queue, await ctx.store.reviews.progress(queue));
  },
});

export const getReviewQueue = defineOperation({
  id: 'getReviewQueue',
  method: 'get',
  path: '/projects/{project}/review/queues/{queue}',
  summary: 'One review queue with its progress per reviewer',
  tags: ['review'],
  permission: 'reviews:read',
  params: QueueParams,
  response: ReviewQueueViewSchema,
  async handle(ctx, { params }) {
    const { queue, progress } = await queueWithProgress(ctx.store, params.project, params.queue);
    return queueView(queue, progress);
  },
});

const RouteRuleSchema = z.enum(ROUTE_RULES as [RouteRule, ...RouteRule[]]);
const AddItemsBody = z.discriminatedUnion('from', [
  z.strictObject({
    from: z.literal('run'),
    runId: z.string().min(1).max(200),
    rules: z.array(RouteRuleSchema).default([]).describe("rules on the queue metric's judge score: low, borderline, disagreement, errored"),
    sampleRate: z.number().min(0).max(1).default(0).describe('share of the remaining results drawn at random (deterministic), for unbiased estimates'),
    exampleIds: z.array(z.string().min(1)).max(10_000).default([]).describe('results to add by hand'),
  }),
  z.strictObject({
    from: z.literal('traces'),
    traceIds: z.array(z.string().regex(/^[0-9a-fA-F]{32}$/, 'a trace id is 32 hex digits')).min(1).max(10_000).optional(),
    filter: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])).optional().describe('a trace list query, e.g. { "hasFeedback": "negative" }'),
  }),
]);

export const addReviewItems = defineOperation({
  id: 'addReviewItems',
  method: 'post',
  path: '/projects/{project}/review/queues/{queue}/items',
  summary: 'Routes items into a queue: run results by rule, sample or hand; traces by id or by a list filter (e.g. negative feedback). An item enters a queue once',
  tags: ['review'],
  permission: 'reviews:manage',
  params: QueueParams,
  body: AddItemsBody,
  response: z.object({ queue: z.string(), considered: z.number().int(), added: z.number().int(), skipped: z.number().int(), byReason: z.record(z.string(), z.number().int()) }),
  async handle(ctx, { params, body }) {
    if (body.from === 'run') {
      if (body.rules.length === 0 && body.sampleRate === 0 && body.exampleIds.length === 0) {
        throw new EvalOpsError('input', 'nothing would be routed: give rules, a sampleRate above 0, or exampleIds', { location: 'rules' });
      }
      return routeRunResults(ctx.store, params.project, params.queue, body);
    }
    if ((body.traceIds === undefined) === (body.filter === undefined)) throw new EvalOpsError('input', 'give traceIds or filter, one of them', { location: 'traceIds' });
    const filtered = body.filter !== undefined;
    const traceIds =
      body.traceIds ??
      (await selectTraceIds(
        ctx.store,
        params.project,
        parseTraceListQuery(Object.fromEntries(Object.entries(body.filter ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v : String(v)])), 'input', (p) => `body field filter.${p}`),
      ));
    const flaggedByFeedback = filtered && body.filter?.hasFeedback === 'negative';
    return addTraceItems(ctx.store, params.project, params.queue, traceIds, flaggedByFeedback ? 'feedback' : 'manual');
  },
});

const ItemStatusSchema = z.enum(['all', 'open', 'settled', 'disputed']);

export const listReviewItems = defineOperation({
  id: 'listReviewItems',
  method: 'get',
  path: '/projects/{project}/review/queues/{queue}/items',
  summary: 'Items of a queue in queue order with their labels, a page at a time (after = the last position seen); the export',
  tags: ['review'],
  permission: 'reviews:read',
  params: QueueParams,
  query: z.object({ status: ItemStatusSchema.default('all'), after: z.coerce.number().int().min(-1).optional(), limit: limitQuery(100, 5000) }),
  response: z.object({
    queue: z.string(),
    items: z.array(ReviewItemViewSchema.extend({ labels: z.array(ReviewLabelViewSchema) })),
    nextAfter: z.number().int().nullable().describe('pass as `after` for the next page; null on the last'),
  }),
  async handle(ctx, { params, query }) {
    const { queue } = await queueOf(ctx.store, params.project, params.queue);
    const rows = await ctx.store.reviews.items(queue.id, {
      limit: query.limit + 1,
      reviewersPerItem: queue.reviewersPerItem,
      ...(query.after === undefined ? {} : { afterPosition: query.after }),
      ...(query.status === 'all' ? {} : { status: query.status }),
    });
    const page = rows.slice(0, query.limit);
    const labels = await ctx.store.reviews.labelsFor(page.map((i) => i.id));
    return {
      queue: queue.name,
      items: page.map((i) => ({ ...itemView(queue.name, i), labels: labels.filter((l) => l.itemId === i.id).map(labelView) })),
      nextAfter: rows.length > query.limit ? (page.at(-1)?.position ?? null) : null,
    };
  },
});

export const nextReviewItem = defineOperation({
  id: 'nextReviewItem',
  method: 'post',
  path: '/projects/{project}/review/queues/{queue}/next',
  summary: "The caller's next item to label: the one they hold, else a new assignment (never an item they had, never more reviewers than the queue asks); null when done",
  tags: ['review'],
  permission: 'reviews:write',
  params: QueueParams,
  response: z.object({ queue: z.string(), reviewer: z.string(), item: ReviewItemViewSchema.nullable() }),
  async handle(ctx, { params }) {
    const reviewer = ctx.actor();
    const { queue, item } = await next(ctx.store, params.project, params.queue, reviewer);
    return { queue: queue.name, reviewer, item: item ? itemView(queue.name, item) : null };
  },
});

/** `release` or `skip`: the two ways a reviewer gives back an item they hold unlabelled. */
function giveBackOperation(how: 'release' | 'skip') {
  return defineOperation({
    id: how === 'skip' ? 'skipReviewItem' : 'releaseReviewItem',
    method: 'post',
    path: `/projects/{project}/review/queues/{queue}/items/{item}/${how}`,
    summary:
      how === 'skip'
        ? 'The caller passes on an item they hold: it goes to another reviewer and is never offered to the caller again; audited'
        : 'The caller gives back an item they hold: it returns to the queue (anyone may take it); audited',
    tags: ['review'],
    permission: 'reviews:write',
    params: ItemParams,
    response: ReviewItemViewSchema,
    async handle(ctx, { params }) {
      const item = await giveBackReviewItem(ctx.store, params.project, params.queue, params.item, ctx.actor(), how);
      return itemView(params.queue, item);
    },
  });
}

export const skipReviewItem = giveBackOperation('skip');
export const releaseReviewItem = giveBackOperation('release');

export const labelReviewItem = defineOperation({
  id: 'labelReviewItem',
  method: 'post',
  path: '/projects/{project}/review/queues/{queue}/items/{item}/labels',
  summary: "Labels an item assigned to the caller: a label of the rubric, an optional note and the seconds spent; once per reviewer",
  tags: ['review'],
  permission: 'reviews:write',
  params: ItemParams,
  body: z.strictObject({ label: z.string().min(1).max(64), note: z.string().max(4000).optional(), seconds: z.number().min(0).max(86_400).optional() }),
  response: ReviewItemViewSchema,
  status: 201,
  async handle(ctx, { params, body }) {
    const item = await label(ctx.store, params.project, params.queue, params.item, ctx.actor(), body);
    return itemView(params.queue, item);
  },
});

export const adjudicateReviewItem = defineOperation({
  id: 'adjudicateReviewItem',
  method: 'post',
  path: '/projects/{project}/review/queues/{queue}/items/{item}/adjudicate',
  summary: "Settles an item's true label (for a dispute between reviewers); audited",
  tags: ['review'],
  permission: 'reviews:adjudicate',
  params: ItemParams,
  body: z.strictObject({ label: z.string().min(1).max(64) }),
  response: ReviewItemViewSchema,
  async handle(ctx, { params, body }) {
    const item = await adjudicate(ctx.store, params.project, params.queue, params.item, body.label, ctx.actor());
    return itemView(params.queue, item);
  },
});

export const getQueueAgreement = defineOperation({
  id: 'getQueueAgreement',
  method: 'get',
  path: '/projects/{project}/review/queues/{queue}/agreement',
  summary: "Agreement between a queue's reviewers: percent agreement, Cohen's kappa (weighted when ordinal), Fleiss' kappa, Krippendorff's alpha with 95% intervals, per label, and the disputed items",
  tags: ['review'],
  permission: 'reviews:read',
  params: QueueParams,
  query: z.object({
    pair: z
      .string()
      .max(401)
      .regex(/^[^,]+,[^,]+$/, 'two reviewer names, comma-separated')
      .optional()
      .describe('only this reviewer pair in `pairwise`, e.g. ann,bo'),
  }),
  response: AgreementViewSchema.extend({ queue: z.string(), metric: z.string() }),
  async handle(ctx, { params, query }) {
    const { queue, metric, report, adjudicated } = await queueAgreement(ctx.store, params.project, params.queue);
    const view = agreementView(report, new Set(adjudicated));
    if (query.pair === undefined) return { queue, metric, ...view };
    const [a, b] = query.pair.split(',').map((r) => r.trim()) as [string, string];
    const unknown = [a, b].filter((r) => !view.raters.includes(r));
    if (unknown.length > 0) throw new EvalOpsError('usage', `pair: ${unknown.map((r) => `"${r}"`).join(' and ')} gave no label in queue "${queue}" (reviewers: ${view.raters.join(', ') || 'none yet'})`, { location: 'pair' });
    if (a === b) throw new EvalOpsError('usage', `pair: name two different reviewers, not "${a}" twice`, { location: 'pair' });
    return { queue, metric, ...view, pairwise: view.pairwise.filter((p) => (p.raters[0] === a && p.raters[1] === b) || (p.raters[0] === b && p.raters[1] === a)) };
  },
});

export const promoteReviewItem = defineOperation({
  id: 'promoteReviewItem',
  method: 'post',
  path: '/projects/{project}/review/queues/{queue}/items/{item}/promote',
  summary: "Adds a settled item to a dataset's next version with the human label as expected outcome (source escalation for run results, trace for traces)",
  tags: ['review'],
  permission: 'datasets:write',
  params: ItemParams,
  body: z.strictObject({ dataset: z.string().min(1).max(200) }),
  response: z.object({ dataset: z.string(), version: z.string(), created: z.boolean(), exampleId: z.string(), examples: z.number().int() }),
  statusOf: (r) => (r.created ? 201 : 200),
  async handle(ctx, { params, body }) {
    const r = await promoteItem(ctx.store, params.project, params.queue, params.item, body.dataset);
    return { dataset: r.dataset, version: r.version, created: r.created, exampleId: r.example.id, examples: r.examples };
  },
});

export const attachJudgeVerdicts = defineOperation({
  id: 'attachJudgeVerdicts',
  method: 'post',
  path: '/projects/{project}/review/queues/{queue}/verdicts',
  summary: "Attaches the judge's verdicts to items that entered without one (production traces), so judge drift is measured on them; items with a verdict keep theirs",
  tags: ['review'],
  permission: 'reviews:manage',
  params: QueueParams,
  body: z.strictObject({ verdicts: z.array(z.strictObject({ itemId: z.string().min(1), verdict: JudgeVerdictSchema })).min(1).max(10_000) }),
  response: z.object({ queue: z.string(), attached: z.number().int() }),
  async handle(ctx, { params, body }) {
    const { queue } = await queueOf(ctx.store, params.project, params.queue);
    return { queue: queue.name, attached: await ctx.store.reviews.attachVerdicts(queue, body.verdicts) };
  },
});
