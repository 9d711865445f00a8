import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ApiCaller } from '../../api/api-caller.js';
import { HttpApiCaller } from '../../client/http-api-caller.js';
import { importModule } from '../../config/import-module.js';
import { loadConfig } from '../../config/load-config.js';
import { openCliStore } from '../open-cli-store.js';
import { getRun } from '../../api/run-operations.js';
import { promoteCluster, triageAlert, triageComparison, triageRun, triageTraces } from '../../api/triage-operations.js';
import { EvalOpsError } from '../../core/errors.js';
import { parseTraceListQuery } from '../../traces/trace-query.js';
import type { TriageReport } from '../../triage/triage-report.js';
import { assertInProject } from '../common-flags.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, projectFor, type RemoteFlags } from '../open-api-caller.js';
import { renderTable } from '../render-table.js';
import { flagOf, traceQueryOf, type TraceFilterFlags } from './traces-command.js';

/**
 * `evalops triage`: failure clusters of a run (`--run`), a comparison's regressions (`--compare`),
 * an alert's evidence window (`--alert`, the triage report) or a trace filter (`--traces` with the
 * trace-list filters); printed as a table, `--json` or `--md`. `--promote CLUSTER --dataset NAME`
 * adds a cluster's items to a dataset version. Parse, call one operation, print.
 */

export interface TriageFlags extends RemoteFlags, TraceFilterFlags {
  readonly config?: string;
  readonly project?: string;
  readonly json?: boolean;
  readonly md?: boolean;
  readonly run?: string;
  readonly compare?: string[];
  readonly alert?: string;
  readonly traces?: boolean;
  readonly seed?: string;
  readonly cutoff?: string;
  readonly maxClusters?: string;
  readonly maxItems?: string;
  readonly nameModel?: string;
  readonly embeddingModel?: string;
  readonly promote?: string;
  readonly dataset?: string;
  /** false with --no-rerun: an alert's report leaves the targeted reruns to run. */
  readonly rerun?: boolean;
}

type Source = { kind: 'run'; runId: string } | { kind: 'compare'; baselineRunId: string; candidateRunId: string } | { kind: 'alert'; alertId: string } | { kind: 'traces'; filter: Record<string, string | string[]> };

export async function triageCommand(flags: TriageFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const source = sourceOf(flags);
    const options = optionsOf(flags);
    if (flags.json && flags.md) throw new EvalOpsError('usage', 'give --json or --md, not both');
    if (flags.promote !== undefined && flags.dataset === undefined) throw new EvalOpsError('usage', '--promote needs --dataset NAME, the dataset the cluster goes into');
    if (flags.dataset !== undefined && flags.promote === undefined) throw new EvalOpsError('usage', '--dataset goes with --promote CLUSTER');
    // Locally the config's providers serve the embedding and naming models (on a server, the operator's).
    const api = await openApiCaller(flags, process.env, async () => {
      const { workerModels } = await import('./worker-command.js');
      const { models, config } = await workerModels(flags.config);
      return { playground: { models }, ...(config?.triage ? { triage: config.triage } : {}) };
    });
    try {
      if (flags.promote !== undefined) return await promote(api, flags, source, options, flags.promote, flags.dataset as string);
      let report = await triageOf(api, flags, source, options);
      if (source.kind === 'alert') report = await withTargetedRerun(api, flags, report, options);
      if (flags.json) return printJson(report);
      if (flags.md) return void process.stdout.write(report.markdown);
      printReport(report);
    } finally {
      await api.close();
    }
  });
}

function sourceOf(flags: TriageFlags): Source {
  const filter = traceQueryOf(flags);
  const given = [flags.run !== undefined, flags.compare !== undefined, flags.alert !== undefined, flags.traces === true].filter(Boolean).length;
  if (given !== 1) throw new EvalOpsError('usage', 'give one source: --run RUN, --compare BASELINE CANDIDATE, --alert ALERT, or --traces with trace filters');
  if (!flags.traces && Object.keys(filter).length > 0) throw new EvalOpsError('usage', `trace filters (${Object.keys(filter).map(flagOf).join(', ')}) go with --traces`);
  if (flags.run !== undefined) return { kind: 'run', runId: flags.run };
  if (flags.compare !== undefined) {
    if (flags.compare.length !== 2) throw new EvalOpsError('usage', `--compare takes two runs, BASELINE CANDIDATE (got ${flags.compare.length})`);
    return { kind: 'compare', baselineRunId: flags.compare[0] as string, candidateRunId: flags.compare[1] as string };
  }
  if (flags.alert !== undefined) return { kind: 'alert', alertId: flags.alert };
  parseTraceListQuery({ limit: '1000', ...filter }, 'usage', flagOf, 1000);
  return { kind: 'traces', filter: { limit: '1000', ...filter } };
}

function optionsOf(flags: TriageFlags): Record<string, string> {
  const raw: Record<string, string | undefined> = { seed: flags.seed, cutoff: flags.cutoff, maxClusters: flags.maxClusters, limit: flags.maxItems };
  const names: Record<string, string> = { seed: '--seed', cutoff: '--cutoff', maxClusters: '--max-clusters', limit: '--max-items' };
  const out: Record<string, string> = { ...(flags.nameModel === undefined ? {} : { nameModel: flags.nameModel }), ...(flags.embeddingModel === undefined ? {} : { embeddingModel: flags.embeddingModel }) };
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    const n = Number(v);
    const ok = k === 'cutoff' ? Number.isFinite(n) && n >= 0 && n <= 1 : Number.isInteger(n) && n >= (k === 'seed' ? 0 : 1);
    if (!ok) throw new EvalOpsError('usage', `${names[k]} must be ${k === 'cutoff' ? 'a number between 0 and 1' : k === 'seed' ? 'a whole number ≥ 0' : 'a whole number ≥ 1'} (got "${v}")`);
    out[k] = v;
  }
  return out;
}

async function triageOf(api: ApiCaller, flags: TriageFlags, source: Source, query: Record<string, string>): Promise<TriageReport & { markdown: string }> {
  switch (source.kind) {
    case 'run':
      await assertInProject(flags, (await api.call(getRun, { params: { runId: source.runId } })).project, `run ${source.runId}`);
      return api.call(triageRun, { params: { runId: source.runId }, query });
    case 'compare':
      await assertInProject(flags, (await api.call(getRun, { params: { runId: source.candidateRunId } })).project, `run ${source.candidateRunId}`);
      return api.call(triageComparison, { params: { baselineRunId: source.baselineRunId, candidateRunId: source.candidateRunId }, query });
    case 'alert':
      return api.call(triageAlert, { params: { project: await projectFor(api, flags), alert: source.alertId }, query });
    case 'traces':
      return api.call(triageTraces, { params: { project: await projectFor(api, flags) }, body: { filter: source.filter, options: query } });
  }
}

async function promote(api: ApiCaller, flags: TriageFlags, source: Source, options: Record<string, string>, cluster: string, dataset: string): Promise<void> {
  // A run's project is the run's own; --project or -c, when given, must agree.
  const runOf = source.kind === 'run' ? source.runId : source.kind === 'compare' ? source.candidateRunId : undefined;
  let project: string;
  if (runOf !== undefined) {
    project = (await api.call(getRun, { params: { runId: runOf } })).project;
    await assertInProject(flags, project, `run ${runOf}`);
  } else project = await projectFor(api, flags);
  const r = await api.call(promoteCluster, { params: { project }, body: { source, cluster, dataset, options } });
  if (flags.json) return printJson(r);
  process.stdout.write(`${r.created ? 'new version' : 'unchanged'} ${r.dataset}@${r.version}: cluster ${r.cluster.id} (${r.cluster.name}) — ${r.promoted} example(s) in slice ${r.cluster.slice}, ${r.examples} examples in the version\n`);
}

/**
 * An alert's report with its targeted rerun: run here, with the project config's target and metrics,
 * into the local database; on a server, or without a config, the reruns stay "to run", saying why.
 */
async function withTargetedRerun(api: ApiCaller, flags: TriageFlags, report: TriageReport & { markdown: string }, options: Record<string, string>): Promise<TriageReport & { markdown: string }> {
  const { rerunBlocker, rerunCluster, withRerun, withRerunBlocked } = await import('../../triage/rerun-cluster.js');
  const { renderTriageMarkdown } = await import('../../triage/render-triage-markdown.js');
  const done = (r: TriageReport): TriageReport & { markdown: string } => ({ ...r, markdown: renderTriageMarkdown(r) });
  if (flags.rerun === false) return done(withRerunBlocked(report, '--no-rerun'));
  if (api instanceof HttpApiCaller) return done(withRerunBlocked(report, 'with --server the reruns are left to run: they execute the config\'s target here and store their runs in the local database (run `evalops run` where the target is reachable)'));
  const found = flags.config ?? ['evalops.yaml', 'evalops.yml', 'evalops.config.ts'].find((f) => existsSync(resolve(f)));
  const loaded = found === undefined ? undefined : await loadConfig(found);
  const blocker = rerunBlocker(report, loaded);
  if (blocker !== undefined) return done(withRerunBlocked(report, blocker));
  const alertId = report.source.alertId as string;
  const promote = async (cluster: string, dataset: string) => {
    const r = await api.call(promoteCluster, { params: { project: report.project }, body: { source: { kind: 'alert', alertId }, cluster, dataset, options } });
    return { dataset: r.dataset, version: r.version, promoted: r.promoted };
  };
  const store = await openCliStore();
  try {
    const rerun = await rerunCluster({ report, loaded, promote }, { store, env: process.env, importModule });
    return done(withRerun(report, rerun, `--alert ${alertId} --project ${report.project}`));
  } finally {
    await store.close();
  }
}

const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;

function printReport(report: TriageReport): void {
  const m = report.whatMoved;
  if (m) process.stdout.write(`what moved: ${m.summary}\n  ${m.metric}${m.release ? ` on ${m.release}` : ''} since ${m.since}${m.owner ? `, owner ${m.owner}` : ''}\n\n`);
  const on = report.method.kind === 'embeddings' ? ` on embeddings of ${report.method.model} (${report.method.embedded} embedded, ${report.method.cached} cached${report.method.costUsd === null ? '' : `, $${report.method.costUsd.toFixed(6)}`})` : '';
  process.stdout.write(`${report.items} failing item(s)${report.total > report.items ? ` of ${report.total}` : ''} in ${report.clusters.length} cluster(s)${on}\n\n`);
  if (report.clusters.length === 0) return;
  const rows = report.clusters.map((c) => [
    c.id,
    c.name,
    String(c.size),
    pct(c.share),
    c.failingMetrics.slice(0, 2).map((x) => `${x.metric} ${x.count}`).join(', '),
    [...c.slices.filter((s) => s.enrichment > 1).slice(0, 1).map((s) => `${s.slice} ×${s.enrichment.toFixed(1)}`), ...c.releases.filter((r) => r.enrichment > 1).slice(0, 1).map((r) => `${r.release} ×${r.enrichment.toFixed(1)}`)].join(', ') || '—',
    c.owners.join(', ') || '—',
  ]);
  process.stdout.write(`${renderTable(['cluster', 'name', 'size', 'share', 'failing metrics', 'concentrates in', 'owners'], rows, new Set([2, 3]))}\n`);
  for (const c of report.clusters.slice(0, 5)) {
    const r = c.representatives[0];
    if (r) process.stdout.write(`\n${c.id} e.g. ${r.traceId ?? r.exampleId ?? r.key}: ${r.reason.replace(/\s+/g, ' ').slice(0, 120)}`);
  }
  const r = report.rerun;
  if (r) {
    process.stdout.write(`\n\nrerun of ${r.cluster} (${r.items} item(s), dataset ${r.dataset}):`);
    for (const run of r.runs) process.stdout.write(`\n  ${run.release ?? 'configured target'}: ${run.runId ?? `failed: ${run.why}`} ${Object.entries(run.passRates).map(([m, p]) => `${m} ${p === null ? '—' : pct(p)}`).join(', ')}`);
    for (const c of r.comparison ?? []) process.stdout.write(`\n  ${c.metric}: live ${c.live === null ? '—' : pct(c.live)} → canary ${c.canary === null ? '—' : pct(c.canary)} (${c.verdict})`);
    if (r.comparison === null) process.stdout.write(`\n  no comparison: ${r.compareWhy ?? ''}`);
  }
  process.stdout.write('\n\nsuggested:\n');
  for (const a of report.suggestedActions) process.stdout.write(`  ${a.action.replace('_', ' ')}${a.cluster ? ` ${a.cluster}` : ''}: ${a.why}${a.command ? `\n    ${a.command}` : ''}\n`);
}
