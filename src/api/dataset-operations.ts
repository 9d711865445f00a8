import { z } from 'zod';
import { ConversationSpecSchema } from '../core/conversation.js';
import { ExampleSourceSchema } from '../core/example.js';
import { datasetVersionHash } from '../datasets/dataset-hash.js';
import { diffDatasets } from '../datasets/diff-datasets.js';
import { invalidExamplesError } from '../datasets/invalid-rows-error.js';
import { normaliseRows } from '../datasets/normalise-rows.js';
import { limitQuery, ProjectParams } from './api-schemas.js';
import { defineOperation } from './operation.js';
import { projectId } from './project-id.js';

/**
 * Datasets: the list, one version with its examples, the diff of two versions, and import of a new
 * version. `evalops datasets list|show|diff|import`. Versions are content-addressed, so an import of
 * content already stored answers that version (200) instead of creating one (201).
 */

/** A dataset name as it may be created: letters, digits, `.`, `_` or `-`, starting with a letter or digit. */
export const DatasetNameSchema = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9][\w.-]*$/, 'a dataset name is letters, digits, ".", "_" or "-", starting with a letter or digit');

/** A dataset as addressed for reading (names made before the rule above still resolve). */
const DatasetParams = ProjectParams.extend({ dataset: z.string().min(1).max(200) });

/** A version by hash or hash prefix. */
const VersionRef = z.string().min(1).max(64);

/** An example as stored and answered (the request side accepts every spelling a file does; see importDatasetVersion). */
export const StoredExampleSchema = z.object({
  id: z.string(),
  input: z.unknown(),
  expected: z.unknown().optional(),
  metadata: z.record(z.string(), z.unknown()),
  slices: z.array(z.string()),
  source: ExampleSourceSchema,
  /** A conversation example's scripted turns or scenario (then `input` is the first user message or the goal). */
  conversation: ConversationSpecSchema.optional(),
});

const VersionListItem = z.object({ version: z.string(), examples: z.number().int(), createdAt: z.string() });

export const listDatasets = defineOperation({
  id: 'listDatasets',
  method: 'get',
  path: '/projects/{project}/datasets',
  summary: 'Datasets of a project, each with its number of versions and its latest version',
  tags: ['datasets'],
  permission: 'datasets:read',
  params: ProjectParams,
  response: z.object({
    project: z.string(),
    datasets: z.array(z.object({ name: z.string(), versions: z.number().int(), latest: VersionListItem.nullable() })),
  }),
  async handle(ctx, { params }) {
    const list = await ctx.store.datasets.list(await projectId(ctx.store, params.project));
    return {
      project: params.project,
      datasets: list.map((d) => ({ name: d.name, versions: d.versions, latest: d.latest ? { version: d.latest.hash, examples: d.latest.exampleCount, createdAt: d.latest.createdAt } : null })),
    };
  },
});

export const getDatasetVersion = defineOperation({
  id: 'getDatasetVersion',
  method: 'get',
  path: '/projects/{project}/datasets/{dataset}',
  summary: 'One version of a dataset (the newest unless `version` names one by hash or prefix): its slices, the other versions, and a page of its examples',
  tags: ['datasets'],
  permission: 'datasets:read',
  params: DatasetParams,
  query: z.object({
    version: VersionRef.optional().describe('version hash or a prefix of it; the newest version when absent'),
    limit: limitQuery(20, 100_000),
    offset: z.coerce.number().int().min(0).default(0),
  }),
  response: z.object({
    project: z.string(),
    dataset: z.string(),
    version: z.string(),
    createdAt: z.string(),
    sourcePath: z.string().nullable(),
    exampleCount: z.number().int(),
    /** How many examples of the version are in each slice. */
    slices: z.record(z.string(), z.number().int()),
    versions: z.array(VersionListItem),
    /** The page of examples, in import order. */
    examples: z.array(StoredExampleSchema),
    offset: z.number().int(),
    /** The offset of the next page; null after the last. */
    nextOffset: z.number().int().nullable(),
  }),
  async handle(ctx, { params, query }) {
    const id = await projectId(ctx.store, params.project);
    const version = await ctx.store.datasets.getVersion(id, params.dataset, query.version);
    const versions = await ctx.store.datasets.listVersions(id, params.dataset);
    const examples = await ctx.store.datasets.examples(version.id);
    const slices: Record<string, number> = {};
    for (const e of examples) for (const s of e.slices) slices[s] = (slices[s] ?? 0) + 1;
    const end = query.offset + query.limit;
    return {
      project: params.project,
      dataset: params.dataset,
      version: version.hash,
      createdAt: version.createdAt,
      sourcePath: version.sourcePath,
      exampleCount: version.exampleCount,
      slices,
      versions: versions.map((v) => ({ version: v.hash, examples: v.exampleCount, createdAt: v.createdAt })),
      examples: examples.slice(query.offset, end),
      offset: query.offset,
      nextOffset: end < examples.length ? end : null,
    };
  },
});

const ChangedExampleSchema = z.object({
  id: z.string(),
  fields: z.array(z.enum(['input', 'expected', 'metadata', 'slices', 'source', 'conversation'])),
  before: StoredExampleSchema,
  after: StoredExampleSchema,
});

const DIFF_KINDS = ['added', 'removed', 'changed'] as const;
const NextOffset = z.number().int().nullable().describe('the offset of the next page of this list; null after its last');

export const diffDatasetVersions = defineOperation({
  id: 'diffDatasetVersions',
  method: 'get',
  path: '/projects/{project}/datasets/{dataset}/diff',
  summary:
    'Examples added, removed and changed (with the fields that changed) from one version of a dataset to another, with the count of each; the lists a page at a time (offset, limit), each list alone with kind',
  tags: ['datasets'],
  permission: 'datasets:read',
  params: DatasetParams,
  query: z.object({
    from: VersionRef.describe('the earlier version (hash or prefix)'),
    to: VersionRef.describe('the later version (hash or prefix)'),
    kind: z.enum(DIFF_KINDS).optional().describe('page through this list only (the others come back empty)'),
    offset: z.coerce.number().int().min(0).default(0),
    limit: limitQuery(100, 1000),
  }),
  response: z.object({
    project: z.string(),
    dataset: z.string(),
    from: z.string(),
    to: z.string(),
    counts: z.object({ added: z.number().int(), removed: z.number().int(), changed: z.number().int(), unchanged: z.number().int() }),
    added: z.array(StoredExampleSchema),
    removed: z.array(StoredExampleSchema),
    changed: z.array(ChangedExampleSchema),
    unchangedCount: z.number().int(),
    offset: z.number().int(),
    nextOffset: z.object({ added: NextOffset, removed: NextOffset, changed: NextOffset }),
  }),
  async handle(ctx, { params, query }) {
    const id = await projectId(ctx.store, params.project);
    const a = await ctx.store.datasets.getVersion(id, params.dataset, query.from);
    const b = await ctx.store.datasets.getVersion(id, params.dataset, query.to);
    const diff = diffDatasets(await ctx.store.datasets.examples(a.id), await ctx.store.datasets.examples(b.id));
    const end = query.offset + query.limit;
    const page = <T>(kind: (typeof DIFF_KINDS)[number], list: readonly T[]): { items: T[]; next: number | null } =>
      query.kind === undefined || query.kind === kind ? { items: list.slice(query.offset, end), next: end < list.length ? end : null } : { items: [], next: null };
    const added = page('added', diff.added);
    const removed = page('removed', diff.removed);
    const changed = page('changed', diff.changed);
    return {
      project: params.project,
      dataset: params.dataset,
      from: a.hash,
      to: b.hash,
      counts: { added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length, unchanged: diff.unchangedCount },
      added: added.items,
      removed: removed.items,
      changed: changed.items.map((c) => ({ ...c, fields: [...c.fields] })),
      unchangedCount: diff.unchangedCount,
      offset: query.offset,
      nextOffset: { added: added.next, removed: removed.next, changed: changed.next },
    };
  },
});

/** At most this many examples per import request. */
export const MAX_IMPORT_EXAMPLES = 100_000;

export const importDatasetVersion = defineOperation({
  id: 'importDatasetVersion',
  method: 'post',
  path: '/projects/{project}/datasets/{dataset}/versions',
  summary:
    'Import a dataset version: every example checked as a file row is (fields id?, input, expected?, metadata?, slices?, source?, or turns / scenario for a conversation), the whole body or nothing. 201 with the new version; 200 with the existing one when a version of this content exists',
  tags: ['datasets'],
  permission: 'datasets:write',
  params: ProjectParams.extend({ dataset: DatasetNameSchema }),
  bulkBody: true,
  body: z.object({
    examples: z.array(z.unknown()).min(1).max(MAX_IMPORT_EXAMPLES).describe('the examples, each an object as a row of a dataset file'),
    sourcePath: z.string().max(1000).optional().describe('where the examples came from (shown by `datasets show`)'),
  }),
  response: z.object({ project: z.string(), dataset: z.string(), version: z.string(), examples: z.number().int(), created: z.boolean() }),
  status: 201,
  statusOf: (result) => (result.created ? 201 : 200),
  async handle(ctx, { params, body }) {
    const { examples, errors } = normaliseRows(
      body.examples.map((value, index) => ({ line: index, value })),
      (first, second) => `in examples[${first}] and examples[${second}]`,
    );
    if (errors.length > 0) throw invalidExamplesError(errors);
    // A write makes its project, as a first `evalops run` or import does locally; a project key's project exists already.
    const project = await ctx.store.projects.ensure(params.project);
    const { version, created } = await ctx.store.datasets.saveVersion(project.id, params.dataset, datasetVersionHash(examples), examples, body.sourcePath);
    return { project: params.project, dataset: params.dataset, version: version.hash, examples: version.exampleCount, created };
  },
});
