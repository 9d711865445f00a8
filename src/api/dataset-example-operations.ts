import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { RunStatusSchema, RunTargetSchema } from '../core/run.js';
import { runTarget } from '../core/target-label.js';
import { limitQuery, ProjectParams } from './api-schemas.js';
import { StoredExampleSchema } from './dataset-operations.js';
import { defineOperation } from './operation.js';
import { projectId } from './project-id.js';
import { ResultItemSchema } from './run-operations.js';

/**
 * One example of a dataset version (the UI's example page): the example itself, whether it is
 * critical (always in a subset), and its results in the latest runs over any version of the dataset —
 * example ids are kept from version to version, so a run of an older version still answered it.
 */

/** At most this many trials of one run are answered for one example. */
const MAX_TRIALS = 50;

const ExampleRunSchema = z.object({
  runId: z.string(),
  status: RunStatusSchema,
  startedAt: z.string(),
  target: RunTargetSchema,
  /** The dataset version the run was over. */
  version: z.string(),
  /** The run was over the version asked for (else the example may have read differently then). */
  sameVersion: z.boolean(),
  /** The example's results in the run, one per trial (at most 50). */
  results: z.array(ResultItemSchema.omit({ example: true })),
});

export const getDatasetExample = defineOperation({
  id: 'getDatasetExample',
  method: 'get',
  path: '/projects/{project}/datasets/{dataset}/examples/{exampleId}',
  summary: 'One example of a dataset version (the newest unless `version` names one): input, expected, metadata, slices, source, conversation, and its results in the latest runs over any version of the dataset',
  tags: ['datasets'],
  permission: 'datasets:read',
  params: ProjectParams.extend({ dataset: z.string().min(1).max(200), exampleId: z.string().min(1).max(1000) }),
  query: z.object({
    version: z.string().min(1).max(64).optional().describe('version hash or a prefix of it; the newest version when absent'),
    runs: limitQuery(5, 50).describe('how many of the latest runs that answered the example to include'),
  }),
  response: z.object({
    project: z.string(),
    dataset: z.string(),
    version: z.string(),
    createdAt: z.string(),
    example: StoredExampleSchema,
    /** `metadata.critical: true`: the example is in every subset a PR gate draws. */
    critical: z.boolean(),
    /** Newest first. */
    runs: z.array(ExampleRunSchema),
  }),
  async handle(ctx, { params, query }) {
    const id = await projectId(ctx.store, params.project);
    const version = await ctx.store.datasets.getVersion(id, params.dataset, query.version);
    const [example] = await ctx.store.datasets.examples(version.id, [params.exampleId]);
    if (example === undefined) throw new EvalOpsError('not_found', `dataset "${params.dataset}" version ${version.hash.slice(0, 12)} has no example "${params.exampleId}"`);
    const versions = await ctx.store.datasets.listVersions(id, params.dataset);
    const hashOf = new Map(versions.map((v) => [v.id, v.hash]));
    const runs = await ctx.store.runs.listWithExample(id, [...hashOf.keys()], example.id, query.runs);
    return {
      project: params.project,
      dataset: params.dataset,
      version: version.hash,
      createdAt: version.createdAt,
      example,
      critical: example.metadata['critical'] === true,
      runs: await Promise.all(
        runs.map(async (run) => ({
          runId: run.id,
          status: run.status,
          startedAt: run.startedAt,
          target: runTarget(run),
          version: hashOf.get(run.datasetVersionId) ?? '',
          sameVersion: run.datasetVersionId === version.id,
          results: await ctx.store.runs.results(run.id, { exampleIds: [example.id], limit: MAX_TRIALS }),
        })),
      ),
    };
  },
});
