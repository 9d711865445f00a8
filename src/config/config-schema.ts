import { z } from 'zod';
import { TriageConfigSchema } from '../core/triage/triage-config.js';
import { CoverageConfigSchema } from '../core/coverage/coverage-config.js';
import { GateConfigSchema } from '../core/gate-config.js';
import { SubsetsConfigSchema } from '../core/subset/subset-spec.js';
import { BUILT_IN_METRICS, FailureClassSchema, isBuiltInMetric, MetricSchema } from '../core/metric.js';
import { RetentionSchema } from '../core/retention.js';
import { ModelRefSchema, ProvidersConfigSchema } from '../core/provider-config.js';
import { SimulatedUserConfigSchema } from '../core/simulated-user-config.js';
import { TargetConfigSchema } from '../core/target-config.js';

/**
 * The schema of `evalops.yaml` / `evalops.config.ts` (DESIGN.md §5), version 1. Every object is
 * strict, so a misspelt field is an error naming it. Relative paths are relative to the config file.
 */

export const CONFIG_VERSION = 1;

const SLUG = /^[a-z0-9][a-z0-9_-]*$/;

export const DatasetConfigSchema = z.strictObject({
  name: z.string().max(100).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'dataset names use letters, digits, ".", "_" and "-"'),
  /**
   * JSONL, CSV, JSON or YAML file, relative to the config file; imported as a version on every run.
   * Without it, the run uses a version already stored (e.g. promoted from traces): `version`, or the
   * newest.
   */
  path: z.string().min(1).optional(),
  /** Hash (or prefix) of a stored version; only without `path`. */
  version: z.string().min(4).optional(),
  /** The simulated user that drives this dataset's scenarios (overrides the top-level `simulatedUser`). */
  simulatedUser: SimulatedUserConfigSchema.optional(),
}).refine((d) => !(d.path && d.version), { message: 'give either `path` (a file to import) or `version` (a stored version), not both', path: ['version'] });
export type DatasetConfig = z.infer<typeof DatasetConfigSchema>;

export const RunConfigSchema = z.strictObject({
  concurrency: z.number().int().min(1).max(1024).default(8),
  /** Trials per example. */
  repeat: z.number().int().min(1).max(100).default(1),
  /** Retries of a retryable target failure (429, 5xx, timeout). */
  retries: z.number().int().min(0).max(10).default(3),
  /** Reuse stored target outputs for an identical variant and input. */
  cache: z.boolean().default(true),
  /** Per-call timeout for the target, overriding the target's own. */
  timeoutMs: z.number().int().positive().max(3_600_000).optional(),
});
export type RunConfig = z.infer<typeof RunConfigSchema>;


/**
 * Default models: `judge` for judge scorers without their own `model`, `embedding` for similarity,
 * `generate` for `evalops generate` and `evalops rubric draft` (else `judge`).
 */
export const ModelsConfigSchema = z.strictObject({
  judge: ModelRefSchema.optional(),
  embedding: ModelRefSchema.optional(),
  generate: ModelRefSchema.optional(),
});
export type ModelsConfig = z.infer<typeof ModelsConfigSchema>;

/** Human review: the thresholds a judge's calibration must meet to count as calibrated. */
export const ReviewConfigSchema = z.strictObject({
  calibration: z
    .strictObject({
      minKappa: z.number().min(-1).max(1).default(0.6),
      minItems: z.number().int().min(1).default(100),
    })
    .prefault({}),
});
export type ReviewConfig = z.infer<typeof ReviewConfigSchema>;

export const EvalOpsConfigSchema = z
  .strictObject({
    version: z.literal(CONFIG_VERSION),
    project: z.string().max(64).regex(SLUG, 'project is a slug: lower-case letters, digits, "-" and "_", e.g. "support-bot"'),
    target: TargetConfigSchema,
    /**
     * The release this config's variant is evaluated for: `2.1.0`, a git SHA, an image tag. A run
     * names the release of its variant; `evalops run --release` overrides it. Unique per project and
     * bound to one variant for good.
     */
    release: z.string().min(1).max(200).optional(),
    dataset: DatasetConfigSchema,
    metrics: z.array(MetricSchema).min(1, 'configure at least one metric'),
    providers: ProvidersConfigSchema.optional(),
    models: ModelsConfigSchema.optional(),
    run: RunConfigSchema.prefault({}),
    /** The simulated user that drives scenario examples: a model, or a scripted user with fixed branches. */
    simulatedUser: SimulatedUserConfigSchema.optional(),
    gate: GateConfigSchema.optional(),
    review: ReviewConfigSchema.prefault({}),
    /** `retention: { spans: 30d }`: what `evalops serve -c` deletes after that age. */
    retention: RetentionSchema.optional(),
    /** Named stratified subsets of the dataset for fast gates: `evalops run --subset pr`. */
    subsets: SubsetsConfigSchema.optional(),
    /** How production traces map to the dataset's slices (`evalops datasets coverage`). */
    coverage: CoverageConfigSchema.optional(),
    /** The models `evalops triage` calls: `embeddingModel` to cluster on embeddings, `nameModel` to name the clusters. */
    triage: TriageConfigSchema.optional(),
  })
  // Runs even when other fields failed, so that every problem is reported at once; reads defensively.
  .superRefine((config, ctx) => checkReferences(config as unknown, ctx), { when: () => true });

export type EvalOpsConfig = z.infer<typeof EvalOpsConfigSchema>;
/** What a config file may contain (defaults not yet applied); the type `defineConfig` takes. */
export type EvalOpsConfigInput = z.input<typeof EvalOpsConfigSchema>;

type Ctx = Parameters<Parameters<typeof EvalOpsConfigSchema.superRefine>[0]>[1];

/** Metric names unique and not built-in; gate rules referring to configured metrics and classes. */
function checkReferences(config: unknown, ctx: Ctx): void {
  const metrics = arrayAt(config, 'metrics');
  const firstIndex = new Map<string, number>();
  const classes = new Set<unknown>();
  metrics.forEach((metric, i) => {
    classes.add(field(metric, 'failureClass'));
    const name = field(metric, 'name');
    if (typeof name !== 'string') return;
    if (isBuiltInMetric(name)) {
      ctx.addIssue({ code: 'custom', path: ['metrics', i, 'name'], message: `"${name}" is a built-in run metric; choose another name` });
    }
    const first = firstIndex.get(name);
    if (first === undefined) firstIndex.set(name, i);
    else ctx.addIssue({ code: 'custom', path: ['metrics', i, 'name'], message: `duplicate metric name "${name}" (also metrics.${first})` });
  });

  arrayAt(field(config, 'gate'), 'rules').forEach((rule, i) => {
    const metric = field(rule, 'metric');
    if (typeof metric === 'string' && !firstIndex.has(metric) && !isBuiltInMetric(metric)) {
      const configured = [...firstIndex.keys()].join(', ') || 'none';
      ctx.addIssue({
        code: 'custom',
        path: ['gate', 'rules', i, 'metric'],
        message: `unknown metric "${metric}"; configured: ${configured}; built-in: ${BUILT_IN_METRICS.join(', ')}`,
      });
    }
    const failureClass = field(rule, 'failureClass');
    if (FailureClassSchema.safeParse(failureClass).success && !classes.has(failureClass)) {
      ctx.addIssue({
        code: 'custom',
        path: ['gate', 'rules', i, 'failureClass'],
        message: `no configured metric has failureClass "${failureClass}", so this rule would check nothing`,
      });
    }
  });
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

function arrayAt(value: unknown, key: string): readonly unknown[] {
  const v = field(value, key);
  return Array.isArray(v) ? v : [];
}
