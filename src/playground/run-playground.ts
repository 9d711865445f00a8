/**
 * The playground's one service call: a draft config (already turned into a `model` target) run on a
 * few chosen dataset examples or a saved trace's input, through the operator's providers, scored by the
 * deterministic metrics of the operator's config where they apply. Nothing is stored. Every request is
 * bounded: examples per call, one timeout per model call, output and tool-call size, max tokens.
 */
import { EvalOpsError, errorMessage } from '../core/errors.js';
import type { Example } from '../core/example.js';
import type { Metric } from '../core/metric.js';
import type { Score } from '../core/score.js';
import { releaseConfigHash, releaseConfigVariant, type ReleaseConfig } from '../core/release-config.js';
import { outputText } from '../core/target-output.js';
import type { ModelPort } from '../models/model-port.js';
import { createScorer } from '../scorers/create-scorer.js';
import type { Scorer } from '../scorers/scorer.js';
import { assertExamplesProvide, modelTargetFromRelease, type ReleaseTargetSource } from '../runner/release-model-target.js';
import { modelTarget } from '../targets/model-target.js';
import type { Store } from '../store/store.js';
import { traceToExample } from '../traces/trace-to-example.js';
import type { RunSlots } from './run-slots.js';

/** Bounds of one playground call. */
export const PLAYGROUND_LIMITS = {
  /** Examples one call may run. */
  maxExamples: 20,
  /** Model calls in flight at once for one request. */
  concurrency: 4,
  /** Playground runs one `evalops serve` holds at once (RunSlots); more are refused with 503. */
  runsInFlight: 4,
  /** Timeout of each model call (ms); a config's own may only be shorter. */
  callTimeoutMs: 30_000,
  /** Max tokens a call may ask the model for; the default when the config sets none. */
  maxTokens: 4096,
  defaultMaxTokens: 1024,
  /** Characters of output kept per example (the rest is cut, and `truncated` says so). */
  maxOutputChars: 20_000,
  /** Tool calls kept per example, and characters of their arguments as JSON. */
  maxToolCalls: 20,
  maxToolArgumentChars: 4_000,
} as const;
export type PlaygroundLimits = { readonly [K in keyof typeof PLAYGROUND_LIMITS]: number };

/** The operator's config, when `evalops serve --config` was given one: its metrics score playground results. */
export interface PlaygroundMetrics {
  readonly project: string;
  readonly dataset: string;
  readonly baseDir: string;
  readonly metrics: readonly Metric[];
}

/** What the playground needs from the server: the operator's providers and, where configured, metrics. */
export interface PlaygroundDeps {
  /** The LLM port of the operator's providers; undefined when the server has none. */
  readonly models: ModelPort | undefined;
  readonly metrics?: PlaygroundMetrics;
  /** Tighter (or, for an operator, looser) bounds than PLAYGROUND_LIMITS. */
  readonly limits?: Partial<PlaygroundLimits>;
  /** The runs the server holds at once (none: unbounded, as in a test of one request). */
  readonly slots?: RunSlots;
}

export interface PlaygroundRequest {
  readonly projectId: string;
  readonly project: string;
  /** The draft, run as the `model` target runs a release config (src/runner/release-model-target.ts). */
  readonly config: ReleaseConfig;
  /** Where the draft sits in the request, for messages that name its fields (`body field config`). */
  readonly field: string;
  readonly source: { readonly kind: 'examples'; readonly dataset: string; readonly version?: string; readonly exampleIds: readonly string[] } | { readonly kind: 'trace'; readonly traceId: string };
}

export interface PlaygroundScore {
  readonly metric: string;
  readonly status: Score['status'];
  readonly pass: boolean | null;
  readonly value: number | null;
  readonly reason: string | null;
}

export interface PlaygroundItem {
  readonly id: string;
  readonly input: unknown;
  readonly expected: unknown;
  readonly output: string | null;
  readonly truncated: boolean;
  readonly toolCalls: { name: string; arguments: unknown }[];
  readonly error: string | null;
  readonly latencyMs: number;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly costUsd: number | null;
  readonly scores: PlaygroundScore[];
}

export interface PlaygroundResult {
  readonly model: string;
  readonly variant: string;
  /** The dataset version the examples came from (null for a trace). */
  readonly datasetVersion: string | null;
  readonly metrics: string[];
  /** Why no metric scored the results, when none did. */
  readonly metricsNote: string | null;
  readonly items: PlaygroundItem[];
  readonly totals: { readonly costUsd: number | null; readonly inputTokens: number; readonly outputTokens: number; readonly errors: number; readonly latencyMsMax: number };
}

/**
 * Runs the draft on the chosen inputs. Refuses, before any model call: a draft a run could not serve
 * (no model, a parameter the call would drop, a prompt variable that is not input or metadata), an
 * unknown dataset, example or trace of the project (404, the same as one of another project), a
 * prompt variable an input lacks (400 naming the field and the variable), a model no provider serves
 * (400 naming the field). A failing model call is that item's error, not the request's.
 */
export async function runPlayground(store: Store, deps: PlaygroundDeps, request: PlaygroundRequest, signal?: AbortSignal): Promise<PlaygroundResult> {
  const limits: PlaygroundLimits = { ...PLAYGROUND_LIMITS, ...deps.limits };
  const draft: ReleaseTargetSource = { config: request.config, variant: releaseConfigVariant(releaseConfigHash(request.config)), where: request.field };
  // The checks of a run from a release config: a model, only parameters the call passes on, prompts
  // that use only input and metadata.
  const call = modelTargetFromRelease({ type: 'model', tools: [], timeoutMs: limits.callTimeoutMs }, draft);
  const { examples, version } = await chosenInputs(store, request, limits.maxExamples);
  assertExamplesProvide(draft, examples);
  const models = deps.models;
  if (models === undefined || !models.isConfigured(call.model)) {
    throw new EvalOpsError('config', `model "${call.model}" is not served by any provider of this server (start \`evalops serve --config evalops.yaml\` with its provider under providers:, and its API key set)`, { location: `${request.field}.model.id` });
  }
  const target = await modelTarget({ ...call, maxTokens: Math.min(call.maxTokens ?? limits.defaultMaxTokens, limits.maxTokens) }, { baseDir: '/', models, importModule: refuseImport });
  const metrics = applicableMetrics(deps.metrics, request);
  const scorers = await buildScorers(metrics.metrics, deps.metrics?.baseDir ?? null);
  if (deps.slots && !deps.slots.tryTake()) {
    throw new EvalOpsError('infrastructure', `the server is running ${deps.slots.max} playground runs already; try again in a few seconds`, { retryable: true });
  }
  const items = await mapBounded(examples, limits.concurrency, async (example) => {
    const started = performance.now();
    const context = { exampleId: example.id, trial: 0, metadata: example.metadata, signal: signal ?? new AbortController().signal };
    try {
      const out = await target.invoke(example.input, context);
      const latencyMs = Math.round(performance.now() - started);
      const text = outputText(out.output);
      const toolCalls = out.toolCalls.slice(0, limits.maxToolCalls).map((c) => ({ name: c.name, arguments: boundedArguments(c.arguments, limits.maxToolArgumentChars) }));
      const scores = await scoreAll(scorers, { example, output: out.output, text, toolCalls: out.toolCalls, latencyMs, ...(out.costUsd === undefined ? {} : { costUsd: out.costUsd }) });
      return item(example, { output: text.slice(0, limits.maxOutputChars), truncated: text.length > limits.maxOutputChars, toolCalls, error: null, latencyMs, inputTokens: out.usage?.inputTokens ?? null, outputTokens: out.usage?.outputTokens ?? null, costUsd: out.costUsd ?? null, scores });
    } catch (e) {
      return item(example, { output: null, truncated: false, toolCalls: [], error: errorMessage(e).slice(0, 2000), latencyMs: Math.round(performance.now() - started), inputTokens: null, outputTokens: null, costUsd: null, scores: [] });
    }
  }).finally(() => deps.slots?.give());
  const costs = items.map((i) => i.costUsd);
  return {
    model: call.model,
    variant: draft.variant,
    datasetVersion: version,
    metrics: metrics.metrics.map((m) => m.name),
    metricsNote: metrics.note,
    items,
    totals: {
      costUsd: costs.some((c) => c !== null) ? costs.reduce<number>((sum, c) => sum + (c ?? 0), 0) : null,
      inputTokens: items.reduce((sum, i) => sum + (i.inputTokens ?? 0), 0),
      outputTokens: items.reduce((sum, i) => sum + (i.outputTokens ?? 0), 0),
      errors: items.filter((i) => i.error !== null).length,
      latencyMsMax: items.reduce((max, i) => Math.max(max, i.latencyMs), 0),
    },
  };
}

/** The examples asked for, each of the project, in the order asked; or the trace's input as one. */
async function chosenInputs(store: Store, request: PlaygroundRequest, maxExamples: number): Promise<{ examples: Example[]; version: string | null }> {
  const source = request.source;
  if (source.kind === 'trace') {
    const spans = await store.spans.list({ projectId: request.projectId, traceId: source.traceId, limit: 10_000 });
    if (spans.length === 0) throw new EvalOpsError('not_found', `trace ${source.traceId} not found in project "${request.project}"`);
    return { examples: [traceToExample(spans)], version: null };
  }
  if (source.exampleIds.length > maxExamples) {
    throw new EvalOpsError('input', `at most ${maxExamples} examples per run (got ${source.exampleIds.length})`, { location: 'body field exampleIds' });
  }
  const version = await store.datasets.getVersion(request.projectId, source.dataset, source.version);
  const found = new Map((await store.datasets.examples(version.id, source.exampleIds)).map((e) => [e.id, e]));
  const unknown = source.exampleIds.find((id) => !found.has(id));
  if (unknown !== undefined) throw new EvalOpsError('not_found', `example ${unknown} not found in dataset "${source.dataset}" (version ${version.hash.slice(0, 12)})`);
  return { examples: [...new Set(source.exampleIds)].map((id) => found.get(id) as Example), version: version.hash };
}

/**
 * The operator's deterministic metrics, for the project of their config: all of them on a trace's
 * input, and on examples of the config's dataset. Judges, similarity, human labels and code are left
 * out: the playground answers in seconds and runs nothing but the model.
 */
function applicableMetrics(config: PlaygroundMetrics | undefined, request: PlaygroundRequest): { metrics: readonly Metric[]; note: string | null } {
  if (config === undefined) return { metrics: [], note: 'no metrics: the server was started without a config (`evalops serve --config evalops.yaml`)' };
  if (config.project !== request.project) return { metrics: [], note: `no metrics: the server's config is for project "${config.project}"` };
  if (request.source.kind === 'examples' && request.source.dataset !== config.dataset) return { metrics: [], note: `no metrics: the server's config scores dataset "${config.dataset}"` };
  const metrics = config.metrics.filter((m) => !NOT_DETERMINISTIC.has(m.scorer.type));
  return { metrics, note: metrics.length === 0 ? "no metrics: the server's config has no deterministic metric" : null };
}

const NOT_DETERMINISTIC: ReadonlySet<string> = new Set(['judge', 'goal-completed', 'similarity', 'human', 'function']);

/** The metrics' scorers; files their parameters name (a JSON schema) are the operator's, beside the config; no code is loaded. */
async function buildScorers(metrics: readonly Metric[], baseDir: string | null): Promise<{ name: string; scorer: Scorer | Error }[]> {
  return Promise.all(
    metrics.map(async (m) => {
      try {
        return { name: m.name, scorer: await createScorer(m.scorer, { baseDir, importModule: refuseImport }) };
      } catch (e) {
        return { name: m.name, scorer: e instanceof Error ? e : new Error(String(e)) };
      }
    }),
  );
}

async function scoreAll(scorers: readonly { name: string; scorer: Scorer | Error }[], input: Parameters<Scorer['score']>[0]): Promise<PlaygroundScore[]> {
  return Promise.all(
    scorers.map(async ({ name, scorer }): Promise<PlaygroundScore> => {
      if (scorer instanceof Error) return { metric: name, status: 'errored', pass: null, value: null, reason: `not available in the playground: ${errorMessage(scorer)}` };
      try {
        const s = await scorer.score(input);
        return { metric: name, status: s.status, pass: s.pass, value: s.value, reason: s.reason ?? null };
      } catch (e) {
        return { metric: name, status: 'errored', pass: null, value: null, reason: errorMessage(e) };
      }
    }),
  );
}

function item(example: Example, result: Omit<PlaygroundItem, 'id' | 'input' | 'expected'>): PlaygroundItem {
  return { id: example.id, input: example.input, expected: example.expected ?? null, ...result };
}

function boundedArguments(value: unknown, maxChars: number): unknown {
  const text = JSON.stringify(value) ?? '';
  return text.length <= maxChars ? value : `${text.slice(0, maxChars)}…`;
}

/** Maps with at most `limit` calls in flight, keeping the order. */
async function mapBounded<T, R>(values: readonly T[], limit: number, fn: (value: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(values.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < values.length) {
      const i = next++;
      out[i] = await fn(values[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, values.length) }, worker));
  return out;
}

async function refuseImport(): Promise<Record<string, unknown>> {
  throw new EvalOpsError('config', 'the playground loads no code');
}
