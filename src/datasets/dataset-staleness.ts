import { z } from 'zod';
import { CoverageConfigSchema } from '../core/coverage/coverage-config.js';
import { SliceStalenessSchema, sliceStaleness, StalenessWeekSchema, type WeekFigures } from '../core/coverage/slice-staleness.js';
import type { Store } from '../store/store.js';
import { datasetCoverage } from './dataset-coverage.js';

const WEEK = 7 * 86_400_000;

export const StalenessRequestSchema = CoverageConfigSchema.omit({ days: true }).extend({
  version: z.string().min(1).max(64).optional().describe('dataset version (hash or prefix; default the newest)'),
  weeks: z.number().int().min(1).max(26).default(4).describe('weeks of production traffic, the current one last'),
});
export type StalenessRequest = z.input<typeof StalenessRequestSchema>;

export const StalenessReportSchema = z.object({
  project: z.string(),
  dataset: z.object({ name: z.string(), version: z.string(), examples: z.number().int() }),
  minExamples: z.number().int(),
  weeks: z.array(StalenessWeekSchema),
  slices: z.array(SliceStalenessSchema).describe('uncovered slices with rising traffic first'),
});
export type StalenessReport = z.infer<typeof StalenessReportSchema>;

/**
 * The staleness of a dataset's slices (`datasets show`, the dataset page): each slice's newest
 * example and its share of production week by week over the last `weeks` 7-day windows, each window
 * measured as `evalops datasets coverage` measures one.
 * @example await datasetStaleness(store, 'support-bot', 'cases', StalenessRequestSchema.parse({}))
 */
export async function datasetStaleness(store: Store, project: string, dataset: string, request: z.output<typeof StalenessRequestSchema>, now: number = Date.now()): Promise<StalenessReport> {
  const figures: WeekFigures[] = [];
  let version = request.version;
  let newest = new Map<string, string | null>();
  let examples = new Map<string, number>();
  let size = 0;
  for (let i = request.weeks - 1; i >= 0; i--) {
    const end = now - i * WEEK;
    const r = await datasetCoverage(store, project, dataset, { attributes: request.attributes, minExamples: request.minExamples, days: 7, top: 1, ...(version === undefined ? {} : { version }) }, end);
    version = r.dataset.version;
    size = r.dataset.examples;
    newest = new Map(r.slices.map((s) => [s.slice, s.newestExampleAt]));
    examples = new Map(r.slices.filter((s) => s.examples > 0).map((s) => [s.slice, s.examples]));
    figures.push({ week: { from: r.window.from, to: r.window.to, traces: r.traces, sliced: r.sliced }, slices: new Map(r.slices.map((s) => [s.slice, s.traces])) });
  }
  return {
    project,
    dataset: { name: dataset, version: version ?? '', examples: size },
    minExamples: request.minExamples,
    weeks: figures.map((f) => f.week),
    slices: sliceStaleness({ weeks: figures, examples, newestExampleAt: newest, minExamples: request.minExamples, now }),
  };
}
