import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfig, type LoadedConfig } from '../../config/load-config.js';
import { EvalOpsError } from '../../core/errors.js';
import type { Example } from '../../core/example.js';
import { loadDatasetFile } from '../../datasets/load-dataset-file.js';
import type { ApiCaller } from '../../api/api-caller.js';
import { getDatasetVersion } from '../../api/dataset-operations.js';
import { commitGeneratedItems, queueGeneratedItems } from '../../api/generate-operations.js';
import { generateCandidates } from '../../generate/generate-candidates.js';
import { ClusterFileSchema, describeFocus, focusSlice, type GenerationFocus } from '../../generate/generation-focus.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, type RemoteFlags } from '../open-api-caller.js';
import { parseIntFlag } from '../parse-flags.js';

export interface GenerateFlags extends RemoteFlags {
  readonly config?: string;
  readonly slice?: string;
  readonly persona?: string;
  readonly clusterFile?: string;
  readonly count?: string;
  readonly model?: string;
  readonly queue?: string;
  readonly threshold?: string;
  readonly maxUsd?: string;
  readonly batch?: string;
  readonly commit?: string;
  readonly dataset?: string;
  readonly json?: boolean;
}

/**
 * `evalops generate`: new inputs around a slice, a persona or a failure cluster, deduplicated and put
 * in a review queue; `evalops generate --commit QUEUE`: the accepted ones into a dataset version.
 * The model is called from this machine with the config's providers (metered and capped here); the
 * dataset, the queue and the committed version are the local database's, or the server's with
 * `--server` (through its API, as every other command).
 */
export async function generateCommand(flags: GenerateFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const loaded = await loadConfig(flags.config);
    const project = loaded.config.project;
    if (flags.commit !== undefined) return commit(loaded, flags.commit, flags);
    const focus = await focusOf(flags);
    const count = parseIntFlag(flags.count, '--count', 1, 500) ?? 10;
    const batchSize = parseIntFlag(flags.batch, '--batch', 1, 50) ?? 10;
    const threshold = parseUnit(flags.threshold, '--threshold') ?? 0.8;
    const maxUsd = parseMoney(flags.maxUsd) ?? 1;
    if (maxUsd === 0) throw new EvalOpsError('usage', '--max-usd 0: a budget of 0 allows no model call; give a budget above 0 (default 1)');
    const model = flags.model ?? loaded.config.models?.generate ?? loaded.config.models?.judge;
    if (model === undefined) throw new EvalOpsError('usage', 'evalops generate needs a model: pass --model provider:model (e.g. openai:gpt-4.1-mini), or set models.generate in the config');
    const models = (await import('../../models/ai-sdk-model-port.js')).createModelPort({ providers: loaded.config.providers ?? {}, env: { ...process.env } });
    const missing = models.unavailable?.(model);
    if (missing !== undefined) throw new EvalOpsError('config', missing);
    const queueName = flags.queue ?? `generated-${loaded.config.dataset.name}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
    const api = await openApiCaller(flags);
    try {
      const existing = await datasetExamples(api, loaded);
      const seeds = focus.kind === 'slice' ? existing.filter((e) => e.slices.includes(focus.slice)) : existing;
      if (focus.kind === 'slice' && seeds.length === 0) throw new EvalOpsError('input', `--slice ${focus.slice}: no example of dataset ${loaded.config.dataset.name} has that slice`);
      const report = await generateCandidates(models, { model, focus, count, seeds, existing, threshold, maxUsd, batchSize });
      const provenance = { model, around: describeFocus(focus), slice: focusSlice(focus) };
      const queued =
        report.candidates.length === 0
          ? { queue: queueName, added: 0, skipped: 0 }
          : await api.call(queueGeneratedItems, { params: { project }, body: { queue: queueName, candidates: report.candidates.map((c) => ({ input: c.input, rationale: c.rationale, ...(c.expected === undefined ? {} : { expected: c.expected }) })), provenance } });
      const document = {
        project,
        queue: queued.queue,
        model,
        around: describeFocus(focus),
        requested: count,
        queued: queued.added,
        alreadyQueued: queued.skipped,
        dropped: report.dropped.map((d) => ({ input: d.item.input, of: d.of, similarTo: d.similarTo, similarity: round(d.similarity) })),
        threshold,
        calls: report.calls,
        invalidAnswers: report.invalidAnswers,
        costUsd: round(report.costUsd, 6),
        costKnown: report.costKnown,
        maxUsd,
        stoppedBy: report.stoppedBy,
        next: `evalops review next ${queued.queue} (label accept or reject), then evalops generate -c ${flags.config ?? 'evalops.yaml'} --commit ${queued.queue}${loaded.config.dataset.path === undefined ? '' : ' --dataset NAME'}${flags.server === undefined ? '' : ` --server ${flags.server}`}`,
      };
      if (flags.json) return printJson(document);
      process.stdout.write(
        `${document.queued} new input${document.queued === 1 ? '' : 's'} around ${document.around} in review queue "${document.queue}"` +
          ` (${report.dropped.length} near-duplicate${report.dropped.length === 1 ? '' : 's'} dropped at Jaccard ≥ ${threshold}; ${report.calls} call${report.calls === 1 ? '' : 's'}, ` +
          `${report.costKnown ? `$${document.costUsd}` : 'cost unknown: no price for the model under providers'} of $${maxUsd}${report.stoppedBy === 'count' ? '' : `; stopped: ${report.stoppedBy}`})\nnext: ${document.next}\n`,
      );
    } finally {
      await api.close();
    }
  });
}

async function commit(loaded: LoadedConfig, queue: string, flags: GenerateFlags): Promise<void> {
  const dataset = flags.dataset ?? (loaded.config.dataset.path === undefined ? loaded.config.dataset.name : undefined);
  if (dataset === undefined) {
    throw new EvalOpsError('usage', `--commit needs --dataset NAME: the config's dataset ${loaded.config.dataset.name} is read from ${loaded.config.dataset.path}, and the next run would import that file again without the accepted items`);
  }
  const api = await openApiCaller(flags);
  try {
    const outcome = await api.call(commitGeneratedItems, { params: { project: loaded.config.project, queue }, body: { dataset } });
    if (flags.json) return printJson(outcome);
    process.stdout.write(`${outcome.committed} accepted item${outcome.committed === 1 ? '' : 's'} of "${queue}" → ${dataset}@${outcome.version.slice(0, 12)} (${outcome.examples} examples; ${outcome.rejected} rejected, ${outcome.pending} pending)\n`);
  } finally {
    await api.close();
  }
}

async function focusOf(flags: GenerateFlags): Promise<GenerationFocus> {
  const given = [flags.slice, flags.persona, flags.clusterFile].filter((v) => v !== undefined).length;
  if (given !== 1) throw new EvalOpsError('usage', 'evalops generate needs exactly one of --slice SLICE, --persona TEXT or --cluster-file FILE');
  if (flags.slice !== undefined) return { kind: 'slice', slice: flags.slice };
  if (flags.persona !== undefined) {
    if (flags.persona.trim() === '') throw new EvalOpsError('usage', '--persona is empty');
    return { kind: 'persona', persona: flags.persona.trim() };
  }
  const file = flags.clusterFile!;
  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(await readFile(resolve(file), 'utf8')) as unknown;
  } catch (e) {
    throw new EvalOpsError('input', `--cluster-file ${file}: ${e instanceof Error ? e.message : String(e)}`, { location: file });
  }
  const parsed = ClusterFileSchema.safeParse(parsedJson);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EvalOpsError('input', `${issue?.path.length ? `field ${issue.path.join('.')}: ` : ''}${issue?.message ?? 'invalid'} (expected { "name": …, "items": [{ "input": …, "output"?, "reason"? }] } or an array of items)`, { location: file });
  }
  const name = parsed.data.name ?? (file.split(/[\\/]/).pop() ?? 'cluster').replace(/\.json$/i, '').replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
  return { kind: 'cluster', name, items: parsed.data.items, ...(parsed.data.description ? { description: parsed.data.description } : {}) };
}

/** Every example of the config's dataset: its file as it is now, else the stored version (page by page). */
async function datasetExamples(api: ApiCaller, loaded: LoadedConfig): Promise<Example[]> {
  const { dataset } = loaded.config;
  if (dataset.path !== undefined) return [...(await loadDatasetFile(resolve(loaded.baseDir, dataset.path))).examples];
  const out: Example[] = [];
  let offset: number | null = 0;
  let version = dataset.version;
  while (offset !== null) {
    const query = { ...(version === undefined ? {} : { version }), limit: 10_000, offset };
    const page: { examples: readonly unknown[]; version: string; nextOffset: number | null } = await api.call(getDatasetVersion, { params: { project: loaded.config.project, dataset: dataset.name }, query });
    out.push(...(page.examples as Example[]));
    version = page.version;
    offset = page.nextOffset;
  }
  return out;
}

function parseUnit(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1) throw new EvalOpsError('usage', `${flag} must be a number above 0 and at most 1 (got "${value}")`);
  return n;
}

function parseMoney(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new EvalOpsError('usage', `--max-usd must be a non-negative number of dollars (got "${value}")`);
  return n;
}

function round(n: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
