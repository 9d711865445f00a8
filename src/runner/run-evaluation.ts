import { relative, resolve } from 'node:path';
import type { EvalOpsConfig } from '../config/config-schema.js';
import type { LoadedConfig } from '../config/load-config.js';
import type { ScorerConfig } from '../core/scorer-config.js';
import { errorMessage, EvalOpsError } from '../core/errors.js';
import type { Example } from '../core/example.js';
import type { DatasetVersionRecord } from '../store/dataset-repository.js';
import type { CacheSource, RunMetric, RunSummary } from '../core/run.js';
import { targetLabel } from '../core/target-label.js';
import { loadDatasetFile } from '../datasets/load-dataset-file.js';
import type { ParsedDataset } from '../datasets/parse-dataset-text.js';
import { createScorer } from '../scorers/create-scorer.js';
import { withDefaultModel } from './with-default-model.js';
import { createSimulatedUser } from '../conversation/create-simulated-user.js';
import type { SimulatedUser } from '../conversation/simulated-user.js';
import type { ModelPort } from '../models/model-port.js';
import type { Store } from '../store/store.js';
import { createTarget } from '../targets/create-target.js';
import { executeRun, type MetricScorer } from './execute-run.js';
import { assertExamplesProvide, modelTargetFromRelease, readReleaseTargetSource } from './release-model-target.js';
import type { ProgressListener } from './progress.js';
import { summariseRun } from './summarise-run.js';
import { isJudgeScorerType } from '../core/judge-scorer-types.js';
import { drawSubset } from './draw-subset.js';

export interface RunEvaluationOptions {
  readonly repeat?: number;
  readonly concurrency?: number;
  readonly cache?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  /** The release name this run's variant is evaluated for (overrides the config's `release:`). */
  readonly release?: string;
  /** Who names the release in the audit log (default `evalops run`). */
  readonly actor?: string;
  /** Run on the config's subset of this name instead of the whole dataset (`--subset`). */
  readonly subset?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
}

export interface RunEvaluationDeps {
  readonly store: Store;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly importModule: (absolutePath: string) => Promise<Record<string, unknown>>;
}

export interface RunEvaluationResult {
  readonly summary: RunSummary;
  /** Things the user should know, e.g. a judge metric skipped because no model is configured. */
  readonly notices: readonly string[];
  readonly interrupted: boolean;
  /** The release the run's variant was named for, when a name was given. */
  readonly release: { readonly id: string; readonly name: string; readonly names: readonly string[] } | null;
}

/**
 * `evalops run`: imports the dataset as a version, builds the target and scorers from the config,
 * records a run and executes it. A failure before the first result stores no run; a failure during the
 * run marks it failed; an interrupt marks it incomplete; finished results are kept in every case.
 */
/** The parameter of each scorer type that names a file, for errors about that file. */
const FILE_PARAM: Readonly<Record<string, string>> = { 'json-schema': 'schema', judge: 'rubric', function: 'path', command: 'command' };

/**
 * `evalops.yaml:12 metrics.0.scorer.schema` and `metric "shape": …` for an error a scorer's factory
 * raised: the parameter is the one the error names (`scorer.rubric: …`), else the type's file parameter.
 */
function scorerParamError(loaded: LoadedConfig, index: number, metric: string, type: string, e: EvalOpsError): EvalOpsError {
  const named = /^scorer\.([\w-]+)/.exec(e.location ?? '') ?? /^scorer\.([\w-]+):/.exec(e.message);
  const param = named?.[1] ?? FILE_PARAM[type];
  const path = ['metrics', index, 'scorer', ...(param === undefined ? [] : [param])];
  const line = loaded.lineOf?.(path) ?? loaded.lineOf?.(['metrics', index, 'scorer']);
  const file = relative(process.cwd(), loaded.path) || loaded.path;
  const message = e.message.replace(/^scorer\.[\w-]+: /, '');
  return new EvalOpsError('config', `metric "${metric}": ${message}`, { location: `${file}${line === undefined ? '' : `:${line}`} ${path.join('.')}`, cause: e });
}

export async function runEvaluation(loaded: LoadedConfig, options: RunEvaluationOptions, deps: RunEvaluationDeps): Promise<RunEvaluationResult> {
  const { config, baseDir } = loaded;
  const { store } = deps;
  // A bad dataset file fails here, before anything (even the project) is written.
  const file = config.dataset.path === undefined ? undefined : await loadDatasetFile(resolve(baseDir, config.dataset.path));
  const models = needsModels(config)
    ? (await import('../models/ai-sdk-model-port.js')).createModelPort({ providers: config.providers ?? {}, env: { ...deps.env } })
    : undefined;
  const componentDeps = { baseDir, importModule: deps.importModule, ...(models ? { models } : {}) };
  // A model target named by a release config reads it now: what is evaluated is what is served.
  const source = await readReleaseTargetSource(config.target, { store, projectName: config.project, baseDir });
  const targetConfig = source && config.target.type === 'model' ? modelTargetFromRelease(config.target, source) : config.target;
  if (source && targetConfig.type === 'model' && targetConfig.model !== undefined && !(models?.isConfigured(targetConfig.model) ?? false)) {
    throw new EvalOpsError('config', `model.id: no configured provider serves "${targetConfig.model}": add its provider under providers: or set its API key (OPENAI_API_KEY, ANTHROPIC_API_KEY)`, { location: source.where });
  }
  const built = await createTarget(targetConfig, componentDeps);
  const target = source ? { ...built, variant: source.variant } : built;
  const metrics: MetricScorer[] = [];
  for (const [i, m] of config.metrics.entries()) {
    try {
      metrics.push({ name: m.name, scorer: await createScorer(withDefaultModel(m.scorer, config.models), componentDeps) });
    } catch (e) {
      // A scorer parameter found invalid only when the scorer is made (a file it names, a rubric):
      // say which config file, line, metric and parameter.
      if (e instanceof EvalOpsError && e.code === 'config') throw scorerParamError(loaded, i, m.name, m.scorer.type, e);
      throw e;
    }
  }

  const project = await store.projects.ensure(config.project);
  const releaseName = options.release ?? config.release ?? source?.releaseName;
  // A name bound to another variant is refused before anything runs (exit 2 naming both).
  if (releaseName !== undefined) await store.releases.assertNameFree(store.db, project.id, target.variant, releaseName);
  const resolved = await resolveDataset(store, project.id, loaded, file);
  const { version } = resolved;
  const drawn = options.subset === undefined ? undefined : await drawSubset(store, loaded, options.subset, resolved.examples);
  const examples = drawn ? drawn.examples : resolved.examples;
  const simulatedUser = simulatedUserFor(config, examples, models);
  if (source) assertExamplesProvide(source, examples);
  const repeat = options.repeat ?? config.run.repeat;
  const runMetrics: RunMetric[] = config.metrics.map((m, i) => ({
    name: m.name,
    ...(m.owner === undefined ? {} : { owner: m.owner }),
    ...(m.failureClass === undefined ? {} : { failureClass: m.failureClass }),
    ...(m.lifecycle === undefined ? {} : { lifecycle: m.lifecycle }),
    ...(m.primary ? { primary: true } : {}),
    scorerType: m.scorer.type,
    scorerVersion: (metrics[i] as MetricScorer).scorer.version,
  }));
  const run = await store.runs.create({
    projectId: project.id,
    datasetVersionId: version.id,
    targetType: target.type,
    targetVariant: target.variant,
    targetLabel: targetLabel(targetConfig),
    metrics: runMetrics,
    labels: { ...(options.labels ?? {}) },
    repeat,
  });
  if (drawn) await store.subsets.save(project.id, run.id, drawn.subset, drawn.examples.map((e) => e.id));
  const named = releaseName === undefined ? undefined : await store.releases.bindName(project.id, target.variant, releaseName, options.actor ?? 'evalops run', { candidateRunId: run.id });

  let outcome;
  try {
    outcome = await executeRun(
      {
        runId: run.id,
        examples,
        target,
        metrics,
        concurrency: options.concurrency ?? config.run.concurrency,
        repeat,
        retries: config.run.retries,
        ...(simulatedUser ? { simulatedUser } : {}),
        cache: options.cache ?? config.run.cache,
        ...(config.run.timeoutMs === undefined ? {} : { timeoutMs: config.run.timeoutMs }),
        ...(options.signal ? { signal: options.signal } : {}),
      },
      { runs: store.runs, cache: store.cache, ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
    );
  } catch (e) {
    await store.runs.finish(run.id, 'failed', null, errorMessage(e)).catch(() => undefined);
    throw e;
  } finally {
    await target.close?.();
  }

  const status = outcome.interrupted ? 'incomplete' : 'completed';
  const finishedAt = new Date().toISOString();
  const summarised = await summariseRunFor(deps.store, run.id, config.project, version.id, status, finishedAt, examples.length * repeat, outcome.cachedFrom);
  const summary = drawn ? { ...summarised, subset: drawn.subset } : summarised;
  await store.runs.finish(run.id, status, summary, outcome.interrupted ? 'interrupted before all examples finished' : undefined);

  const notices: string[] = [...(target.notices ?? [])];
  const cacheOn = options.cache ?? config.run.cache;
  if (cacheOn && target.cacheReadsOffReason !== undefined) notices.push(`cache: ${target.cacheReadsOffReason}`);
  for (const [metric, reason] of Object.entries(outcome.skippedReasons)) {
    const m = summary.metrics[metric];
    if (m && m.n === 0) notices.push(`metric ${metric} skipped: ${reason}`);
  }
  return { summary, notices, interrupted: outcome.interrupted, release: named ? { id: named.release.id, name: named.name, names: named.release.names } : null };
}

async function summariseRunFor(store: Store, runId: string, project: string, versionId: string, status: 'completed' | 'incomplete', finishedAt: string, expected: number, cachedFrom: readonly CacheSource[]): Promise<RunSummary> {
  const run = await store.runs.get(runId);
  const dataset = await store.datasets.getVersionById(versionId);
  return summariseRun(store.runs, run, { project, dataset, status, finishedAt, expected, cachedFrom });
}

/**
 * The simulated user of the dataset's scenarios (`dataset.simulatedUser`, else `simulatedUser`);
 * undefined when the dataset has none.
 * @throws EvalOpsError('config') when scenarios exist and no simulated user is configured, or its model cannot be called.
 */
function simulatedUserFor(config: EvalOpsConfig, examples: readonly Example[], models: ModelPort | undefined): SimulatedUser | undefined {
  const scenario = examples.find((e) => e.conversation?.kind === 'scenario');
  if (scenario === undefined) return undefined;
  const where = config.dataset.simulatedUser === undefined ? 'simulatedUser' : 'dataset.simulatedUser';
  const userConfig = config.dataset.simulatedUser ?? config.simulatedUser;
  if (userConfig === undefined) {
    throw new EvalOpsError('config', `dataset ${config.dataset.name} has scenarios (e.g. "${scenario.id}") but no simulated user: add simulatedUser: { type: model, model: provider:model } or { type: scripted, rules: [...] }`, { location: 'simulatedUser' });
  }
  return createSimulatedUser(userConfig, models, where);
}

/** Whether the target, the simulated user or any scorer may call an LLM or embedding model. */
function needsModels(config: EvalOpsConfig): boolean {
  return config.target.type === 'model' || (config.dataset.simulatedUser ?? config.simulatedUser)?.type === 'model' || config.metrics.some((m) => isJudgeScorerType(m.scorer.type) || (m.scorer.type === 'similarity' && (m.scorer.model ?? config.models?.embedding) !== undefined));
}

/**
 * The dataset version a run uses: the config's file imported as a version (the same content is the
 * same version), or, without a file, a stored version (`dataset.version`, else the newest).
 */
async function resolveDataset(
  store: Store,
  projectId: string,
  loaded: LoadedConfig,
  file: ParsedDataset | undefined,
): Promise<{ version: DatasetVersionRecord; examples: readonly Example[] }> {
  const { dataset } = loaded.config;
  if (dataset.path !== undefined && file !== undefined) {
    const datasetPath = resolve(loaded.baseDir, dataset.path);
    const { version } = await store.datasets.saveVersion(projectId, dataset.name, file.hash, file.examples, relative(process.cwd(), datasetPath));
    return { version, examples: file.examples };
  }
  const version = await store.datasets.getVersion(projectId, dataset.name, dataset.version);
  const examples = await store.datasets.examples(version.id);
  if (examples.length === 0) throw new EvalOpsError('input', `dataset ${dataset.name}@${version.hash} has no examples`);
  return { version, examples };
}
