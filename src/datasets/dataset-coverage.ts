import { z } from 'zod';
import { CoverageConfigSchema } from '../core/coverage/coverage-config.js';
import { computeCoverage, CoverageFiguresSchema } from '../core/coverage/compute-coverage.js';
import { EvalOpsError } from '../core/errors.js';
import { traceSliceGroups } from '../store/coverage-queries.js';
import type { Store } from '../store/store.js';

export const CoverageRequestSchema = CoverageConfigSchema.extend({
  version: z.string().min(1).max(64).optional().describe('dataset version (hash or prefix; default the newest)'),
  top: z.number().int().min(1).max(100).default(10).describe('uncovered slices listed with example traces'),
});
export type CoverageRequest = z.input<typeof CoverageRequestSchema>;

export const CoverageReportSchema = CoverageFiguresSchema.extend({
  project: z.string(),
  dataset: z.object({ name: z.string(), version: z.string(), examples: z.number().int() }),
  window: z.object({ from: z.string(), to: z.string(), days: z.number().int() }),
  minExamples: z.number().int(),
  /** Configured span attribute → slice key, besides `evalops.slice.*`. */
  attributes: z.record(z.string(), z.string()),
  /** `evalops traces promote …` for the top uncovered slices' example traces. */
  promote: z.array(z.object({ slice: z.string(), command: z.string() })),
  notes: z.array(z.string()),
});
export type CoverageReport = z.infer<typeof CoverageReportSchema>;

/**
 * `evalops datasets coverage DATASET`: the production traffic of the last `days` days against the
 * dataset's slices — the share of traffic in slices with fewer than `minExamples` examples, the top
 * uncovered slices with example traces and the command to promote them, and per slice its share of
 * each day's traffic and the age of its newest example (staleness).
 * @example await datasetCoverage(store, 'support-bot', 'cases', { attributes: { intent: 'app.intent' } })
 */
export async function datasetCoverage(store: Store, projectName: string, datasetName: string, request: z.output<typeof CoverageRequestSchema>, now: number = Date.now()): Promise<CoverageReport> {
  const project = await store.projects.findByName(projectName);
  if (!project) throw new EvalOpsError('not_found', `project "${projectName}" does not exist`);
  const version = await store.datasets.getVersion(project.id, datasetName, request.version);
  const [sliceLists, firstSeen] = await Promise.all([store.datasets.exampleSlices(version.id), store.datasets.exampleFirstSeen(version.id)]);
  const counts = new Map<string, number>();
  const newest = new Map<string, string>();
  for (const [id, slices] of sliceLists) {
    const seen = firstSeen.get(id);
    for (const s of slices) {
      counts.set(s, (counts.get(s) ?? 0) + 1);
      if (seen !== undefined && (newest.get(s) ?? '') < seen) newest.set(s, seen);
    }
  }
  const keys = new Set([...counts.keys()].map((s) => s.slice(0, s.indexOf(':'))));
  for (const key of Object.keys(request.attributes)) {
    if (!keys.has(key)) {
      throw new EvalOpsError('config', `dataset ${datasetName} has no slice key "${key}"; its slice keys: ${[...keys].sort().join(', ') || 'none'}`, { location: `coverage.attributes.${key}` });
    }
  }
  const mapped = new Map(Object.entries(request.attributes).map(([key, attribute]) => [attribute, key]));
  const window = { fromMs: now - request.days * 86_400_000, toMs: now };
  const { total, groups } = await traceSliceGroups(store.db, store.dialect, project.id, window, [...mapped.keys()]);
  const figures = computeCoverage({ totalTraces: total, groups, datasetSlices: counts, datasetSize: sliceLists.size, attributes: mapped, k: request.minExamples, newestExampleAt: newest });
  const notes: string[] = ['cluster coverage is not computed yet: clusters (issue 19) are not available in this version'];
  if (total === 0) notes.unshift(`no traces between ${new Date(window.fromMs).toISOString()} and ${new Date(window.toMs).toISOString()}: nothing to compare the dataset with`);
  else if (figures.sliced === 0) notes.unshift(`none of the ${total} traces carries a slice attribute (evalops.slice.KEY${mapped.size ? ` or ${[...mapped.keys()].join(', ')}` : ''}): set one on your spans or map an attribute under coverage.attributes`);
  const top = figures.uncovered.slice(0, request.top);
  return {
    project: projectName,
    dataset: { name: datasetName, version: version.hash, examples: sliceLists.size },
    window: { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString(), days: request.days },
    minExamples: request.minExamples,
    attributes: { ...request.attributes },
    ...figures,
    uncovered: top,
    promote: top.filter((s) => s.exampleTraceIds.length > 0).map((s) => ({ slice: s.slice, command: `evalops traces promote ${s.exampleTraceIds.join(' ')} --dataset ${datasetName}` })),
    notes,
  };
}
