import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { GateConfigSchema } from '../core/gate-config.js';
import { FailureClassSchema, isBuiltInMetric, LifecycleSchema, MetricNameSchema } from '../core/metric.js';
import { gateVisibility, GateVisibilitySchema, visibilityWarnings, type PlannedTest } from '../core/plan/gate-visibility.js';
import { measureDiscordance } from '../core/plan/measure-discordance.js';
import type { RunRecord } from '../store/run-repository.js';
import type { Store } from '../store/store.js';

/** Earlier completed runs of the dataset the planner reads (newest first): up to 3 consecutive pairs. */
const RUNS_FOR_DISCORDANCE = 4;
/** Newest runs looked through for ones of the dataset. */
const RUNS_SCANNED = 50;

export const PlanBodySchema = z.object({
  policy: GateConfigSchema.describe("the gate policy: the config's `gate:` section"),
  metrics: z
    .array(z.object({ name: MetricNameSchema, failureClass: FailureClassSchema.optional(), lifecycle: LifecycleSchema.optional(), primary: z.boolean().optional() }))
    .min(1)
    .max(1000)
    .describe("the config's metrics"),
  dataset: z.object({
    name: z.string().min(1).max(200),
    n: z.number().int().nonnegative().optional().describe('examples in the dataset (default: its newest stored version)'),
    slices: z.record(z.string().max(200), z.number().int().nonnegative()).optional().describe('examples per slice (with n)'),
  }),
  drop: z.number().gt(0).max(1).optional().describe('a drop (0..1, e.g. 0.05 for 5 points) to say how many examples each test needs to detect'),
});
export type PlanBody = z.input<typeof PlanBodySchema>;

export const PlanReportSchema = z.object({
  project: z.string(),
  dataset: z.object({ name: z.string(), version: z.string().nullable(), n: z.number().int(), slices: z.number().int(), source: z.enum(['request', 'stored']) }),
  /** Earlier runs the pass rates (the newest) and the discordance (consecutive pairs) come from. */
  runs: z.array(z.string()),
  discordance: z.array(z.object({ metric: z.string(), discordance: z.number(), passRate: z.number(), pairs: z.number().int(), from: z.string() })),
  visibility: GateVisibilitySchema,
  warnings: z.array(z.string()),
});
export type PlanReport = z.infer<typeof PlanReportSchema>;

/**
 * `evalops plan`: what the gate policy can see on this dataset before anything is gated — per
 * noRegression rule and slice the minimum detectable effect at 80% power under the gate's own
 * correction, with pass rates from the newest earlier run of the dataset and discordance measured
 * between consecutive earlier runs; what it had to assume where there are none.
 * @example await planGate(store, 'support-bot', { policy, metrics, dataset: { name: 'cases' }, drop: 0.05 })
 */
export async function planGate(store: Store, projectName: string, input: z.output<typeof PlanBodySchema>, options: { readonly runsToRead?: number } = {}): Promise<PlanReport> {
  const project = await store.projects.findByName(projectName);
  const runs = project ? await runsOfDataset(store, project.id, input.dataset.name) : [];
  const assumptions: string[] = [];

  let version: string | null = null;
  let sizes: { n: number; slices: Record<string, number> };
  let source: 'request' | 'stored' = 'request';
  if (input.dataset.n !== undefined) {
    sizes = { n: input.dataset.n, slices: input.dataset.slices ?? {} };
  } else {
    const stored = project ? await store.datasets.getVersion(project.id, input.dataset.name).catch(() => undefined) : undefined;
    if (!stored) throw new EvalOpsError('usage', `dataset "${input.dataset.name}" has no stored version in project "${projectName}": import it (evalops datasets import) or send its sizes`, { location: 'dataset' });
    const slices = await store.datasets.exampleSlices(stored.id);
    sizes = { n: slices.size, slices: {} };
    for (const list of slices.values()) for (const s of list) sizes.slices[s] = (sizes.slices[s] ?? 0) + 1;
    version = stored.hash;
    source = 'stored';
  }
  if (Object.keys(sizes.slices).length === 0) assumptions.push(`dataset ${input.dataset.name} has no slices: each metric is planned as one whole-dataset test`);

  const rows = await Promise.all(runs.slice(0, options.runsToRead ?? RUNS_FOR_DISCORDANCE).map(async (r) => ({ id: r.id, rows: await store.runs.scoreRows(r.id) })));
  const newest = runs[0];
  const rates = new Map<string, { passed: number; n: number }>();
  if (newest) {
    const slicesOf = await store.datasets.exampleSlices(newest.datasetVersionId);
    for (const r of rows[0]?.rows ?? []) {
      if (r.trial !== 0 || r.status !== 'scored' || r.pass === null) continue;
      for (const key of [`${r.metric}\u0000`, ...(slicesOf.get(r.exampleId) ?? []).map((s) => `${r.metric}\u0000${s}`)]) {
        const c = rates.get(key) ?? { passed: 0, n: 0 };
        c.n++;
        if (r.pass) c.passed++;
        rates.set(key, c);
      }
    }
  } else {
    assumptions.push(`no earlier run of dataset ${input.dataset.name}: pass rates and discordance are assumed`);
  }
  const discordance = measureDiscordance(rows);
  if (newest && rows.length < 2) assumptions.push(`only one earlier run of dataset ${input.dataset.name}: discordance needs two runs to measure`);

  const metrics = input.metrics.filter((m) => !isBuiltInMetric(m.name));
  const rate = (metric: string, slice: string | null): number | null => {
    const c = rates.get(`${metric}\u0000${slice ?? ''}`);
    return c && c.n > 0 ? c.passed / c.n : null;
  };
  const tests: PlannedTest[] = metrics.flatMap((m) => [
    { metric: m.name, slice: null, n: sizes.n, baseRate: rate(m.name, null) },
    ...Object.entries(sizes.slices)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([slice, n]) => ({ metric: m.name, slice, n, baseRate: rate(m.name, slice) })),
  ]);
  const primaries = metrics.filter((m) => m.primary).map((m) => m.name);
  const visibility = gateVisibility({ rules: input.policy.rules, metrics, tests, discordance, primaries, ...(input.drop !== undefined ? { drop: input.drop } : {}) });
  const planned = { ...visibility, assumptions: [...assumptions, ...visibility.assumptions] };
  if (planned.rows.length === 0) planned.assumptions.push('the policy has no noRegression rule: min, max and maxFailures rules judge the candidate alone and need no planning');
  return {
    project: projectName,
    dataset: { name: input.dataset.name, version, n: sizes.n, slices: Object.keys(sizes.slices).length, source },
    runs: rows.map((r) => r.id),
    discordance: [...discordance].map(([metric, d]) => ({ metric, ...d })),
    visibility: planned,
    warnings: visibilityWarnings(planned),
  };
}

async function runsOfDataset(store: Store, projectId: string, dataset: string): Promise<RunRecord[]> {
  const recent = await store.runs.list(projectId, { status: 'completed', limit: RUNS_SCANNED });
  const names = new Map<string, string>();
  const out: RunRecord[] = [];
  for (const r of recent) {
    if (!names.has(r.datasetVersionId)) names.set(r.datasetVersionId, (await store.datasets.getVersionById(r.datasetVersionId)).datasetName);
    if (names.get(r.datasetVersionId) === dataset) out.push(r);
  }
  return out;
}
