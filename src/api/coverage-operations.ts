import { z } from 'zod';
import { CoverageReportSchema, CoverageRequestSchema, datasetCoverage } from '../datasets/dataset-coverage.js';
import { datasetStaleness, StalenessReportSchema, StalenessRequestSchema } from '../datasets/dataset-staleness.js';
import { ProjectParams } from './api-schemas.js';
import { defineOperation } from './operation.js';

/**
 * Coverage of production by a dataset: `evalops datasets coverage`. Reads only; a POST because the
 * config's attribute mapping travels in the body.
 */
export const datasetCoverageOperation = defineOperation({
  id: 'getDatasetCoverage',
  method: 'post',
  path: '/projects/{project}/datasets/{dataset}/coverage',
  summary: "How well a dataset covers the production traffic of a window: each slice's share of traces vs its examples, the share of traffic in slices with fewer than minExamples examples, the top uncovered slices with example traces and the command to promote them, and each slice's daily share and newest example (staleness)",
  tags: ['datasets'],
  permission: 'traces:read',
  params: ProjectParams.extend({ dataset: z.string().min(1).max(200) }),
  body: CoverageRequestSchema,
  response: CoverageReportSchema,
  async handle(ctx, { params, body }) {
    return datasetCoverage(ctx.store, params.project, params.dataset, body);
  },
});

/** Staleness of a dataset's slices: `evalops datasets show` and the dataset page. Reads only; a POST for the same reason. */
export const datasetStalenessOperation = defineOperation({
  id: 'getDatasetStaleness',
  method: 'post',
  path: '/projects/{project}/datasets/{dataset}/staleness',
  summary: "Each slice of a dataset version with the age of its newest example and its share of production traffic week by week (the last `weeks` 7-day windows), so a slice drifting out of coverage shows",
  tags: ['datasets'],
  permission: 'traces:read',
  params: ProjectParams.extend({ dataset: z.string().min(1).max(200) }),
  body: StalenessRequestSchema,
  response: StalenessReportSchema,
  async handle(ctx, { params, body }) {
    return datasetStaleness(ctx.store, params.project, params.dataset, body);
  },
});
