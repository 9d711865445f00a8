import { z } from 'zod';
import { FailureClusterSchema } from '../core/triage/triage-cluster.js';
import type { Triage } from './triage-service.js';

/**
 * The triage report: the structured findings of the *fly* stage (DESIGN.md §3) — what moved (for an
 * alert), the clusters that explain it, the commands triage ran and those left to run with their
 * outcomes, and the suggested actions (promote a cluster, narrow, roll back). One document for JSON,
 * rendered to Markdown by render-triage-markdown.ts.
 */

export const TriageSourceSchema = z.object({
  kind: z.enum(['run', 'compare', 'alert', 'traces']),
  runId: z.string().optional(),
  baselineRunId: z.string().optional(),
  candidateRunId: z.string().optional(),
  alertId: z.string().optional(),
  filter: z.record(z.string(), z.unknown()).optional(),
});

export const TriageCommandSchema = z.object({
  command: z.string(),
  purpose: z.string(),
  status: z.enum(['ran', 'to_run']),
  outcome: z.string().describe('what it gave when triage ran it; what it is for when left to run (it needs the config and targets)'),
});

export const SuggestedActionSchema = z.object({
  action: z.enum(['promote', 'narrow', 'roll_back', 'investigate']),
  cluster: z.string().nullable(),
  why: z.string(),
  command: z.string().nullable(),
});

export const WhatMovedSchema = z.object({
  summary: z.string(),
  monitor: z.string(),
  metric: z.string(),
  release: z.string().nullable(),
  live: z.string().nullable(),
  baseline: z.number().nullable(),
  current: z.number().nullable(),
  delta: z.number().nullable(),
  pValue: z.number().nullable(),
  since: z.string(),
  detectedAt: z.string(),
  owner: z.string().nullable(),
});

export const ClusterMethodSchema = z.object({
  kind: z.enum(['tfidf', 'embeddings']).describe('tfidf: the offline method; embeddings: on an embedding model\'s vectors'),
  model: z.string().nullable().describe('the embedding model (provider:model); null offline'),
  embedded: z.number().int().describe('distinct texts the model embedded for this triage'),
  cached: z.number().int().describe('distinct texts whose embedding came from the response cache'),
  calls: z.number().int().describe('embeddings calls made'),
  tokens: z.number().int().nullable().describe('input tokens the provider reported; null when none'),
  costUsd: z.number().nullable().describe('dollars, when the model is priced under providers; null otherwise'),
});

export const TriageRerunSchema = z.object({
  cluster: z.string().describe('the cluster whose items were rerun'),
  dataset: z.string(),
  version: z.string().describe('the dataset version holding its items'),
  items: z.number().int(),
  runs: z.array(
    z.object({
      release: z.string().nullable().describe('the release run (its stored config); null: the configured target'),
      runId: z.string().nullable(),
      status: z.enum(['ran', 'failed']),
      why: z.string().nullable().describe('why it failed'),
      examples: z.number().int(),
      errors: z.number().int(),
      passRates: z.record(z.string(), z.number().nullable()),
    }),
  ),
  comparison: z
    .array(z.object({ metric: z.string(), live: z.number().nullable(), canary: z.number().nullable(), delta: z.number().nullable(), ci95: z.tuple([z.number(), z.number()]).nullable(), pValue: z.number().nullable(), verdict: z.string() }))
    .nullable()
    .describe('canary against live per metric, on the whole cluster; null when there were not two runs'),
  compareWhy: z.string().nullable().describe('why there is no comparison'),
});
export type TriageRerun = z.infer<typeof TriageRerunSchema>;

export const TriageReportSchema = z.object({
  project: z.string(),
  source: TriageSourceSchema,
  items: z.number().int().describe('failing items clustered'),
  total: z.number().int().describe('failing items the source holds (more than items when the limit cut them)'),
  whatMoved: WhatMovedSchema.nullable().describe("for an alert: the monitor's evidence"),
  method: ClusterMethodSchema.describe('how the clusters were made, and what the embeddings cost'),
  clusters: z.array(FailureClusterSchema),
  commands: z.array(TriageCommandSchema),
  suggestedActions: z.array(SuggestedActionSchema),
  rerun: TriageRerunSchema.nullable().describe("the targeted rerun of the first cluster against live and canary, when the CLI had the project config (the API leaves it to run: the server does not load targets)"),
});
export type TriageReport = z.infer<typeof TriageReportSchema>;

const PROMOTE_SUGGESTIONS = 3;

export function triageReport(result: Triage, project: string): TriageReport {
  const r = result.request;
  const flag = triageFlags(result);
  const source: TriageReport['source'] =
    r.kind === 'run' ? { kind: 'run', runId: r.runId } : r.kind === 'compare' ? { kind: 'compare', baselineRunId: r.baselineRunId, candidateRunId: r.candidateRunId } : r.kind === 'alert' ? { kind: 'alert', alertId: r.alertId } : { kind: 'traces', filter: { ...r.filter } };
  const e = result.evidence;
  const whatMoved = e
    ? { summary: e.summary, monitor: e.monitor, metric: e.metric, release: e.cohort.release, live: e.cohort.live ?? null, baseline: e.baseline, current: e.current.rate, delta: e.delta, pValue: e.pValue, since: e.since, detectedAt: e.detectedAt, owner: e.owner }
    : null;
  const dataset = `${e?.metric ?? 'triage'}-regressions`;
  const clusters = result.clusters.filter((c) => c.id !== 'noise');
  const commands: TriageReport['commands'] = [...sourceCommands(result, project), { command: `evalops triage ${flag} --json`, purpose: 'cluster the failing items', status: 'ran', outcome: `${result.clusters.length} cluster(s) over ${result.items.length} item(s)` }];
  const top = clusters[0];
  if (top) {
    commands.push({ command: `evalops triage ${flag} --promote ${top.id} --dataset ${dataset}`, purpose: `targeted set: the items of ${top.id} (${top.name}) as a dataset version in slice ${top.slice}`, status: 'to_run', outcome: 'writes a dataset version; needs the engineer role' });
    if (e?.cohort.release) {
      for (const rel of [e.cohort.live, e.cohort.release].filter((x): x is string => typeof x === 'string')) {
        commands.push({ command: `evalops run -c evalops.yaml --release ${rel} --label triage=${result.request.kind === 'alert' ? result.request.alertId : 'run'} --json`, purpose: `targeted rerun of the promoted items against ${rel} (dataset.name: ${dataset} in the config)`, status: 'to_run', outcome: 'needs the project config and its target; not run by triage' });
      }
      commands.push({ command: 'evalops compare <live-run> <canary-run> --json', purpose: 'compare the two reruns on the cluster items', status: 'to_run', outcome: 'paired comparison per metric and slice' });
    }
  }
  const m = result.method;
  const method: TriageReport['method'] = m.kind === 'tfidf' ? { kind: 'tfidf', model: null, embedded: 0, cached: 0, calls: 0, tokens: null, costUsd: null } : { kind: 'embeddings', model: m.model, embedded: m.embedded, cached: m.cached, calls: m.calls, tokens: m.tokens, costUsd: m.costUsd };
  return { project, source, items: result.items.length, total: result.total, whatMoved, method, clusters: [...result.clusters], commands, suggestedActions: actions(result, project, flag, dataset), rerun: null };
}

/** The `evalops triage` flags that select this triage's source. */
export function triageFlags(result: Triage): string {
  const r = result.request;
  switch (r.kind) {
    case 'run':
      return `--run ${r.runId}`;
    case 'compare':
      return `--compare ${r.baselineRunId} ${r.candidateRunId}`;
    case 'alert':
      return `--alert ${r.alertId} --project ${r.project}`;
    case 'traces':
      return `--traces --project ${r.project}${r.filter.release === undefined ? '' : ` --release ${String(r.filter.release)}`}${r.filter.errorsOnly ? ' --errors' : ''}`;
  }
}

function sourceCommands(result: Triage, project: string): TriageReport['commands'] {
  const r = result.request;
  const read = `${result.items.length} failing item(s) read${result.total > result.items.length ? ` (of ${result.total}; the limit cut the rest)` : ''}`;
  switch (r.kind) {
    case 'run':
      return [{ command: `evalops runs show ${r.runId} --results --failures --json`, purpose: "export the run's failures", status: 'ran', outcome: read }];
    case 'compare':
      return [{ command: `evalops compare ${r.baselineRunId} ${r.candidateRunId} --json`, purpose: 'the regressions: pass → fail, new errors, missing results', status: 'ran', outcome: read }];
    case 'alert': {
      const e = result.evidence;
      const rel = e?.cohort.release ? ` --release ${e.cohort.release}` : '';
      return [
        { command: `evalops online scores --project ${project} --rule ${e?.rule ?? '<rule>'} --metric ${e?.metric ?? '<metric>'}${rel} --since ${e?.since ?? '<since>'} --failing --json`, purpose: "export the evidence window's failing scores", status: 'ran', outcome: read },
        { command: `evalops traces list --project ${project}${rel} --since ${e?.since ?? '<since>'} --json`, purpose: 'export the spans of those traces (root input and output)', status: 'ran', outcome: `${result.items.length} trace(s) read` },
      ];
    }
    case 'traces':
      return [{ command: `evalops traces list --project ${project} --json`, purpose: 'export the traces the filter selects', status: 'ran', outcome: read }];
  }
}

function actions(result: Triage, project: string, flag: string, dataset: string): TriageReport['suggestedActions'] {
  const out: TriageReport['suggestedActions'] = [];
  const clusters = result.clusters.filter((c) => c.id !== 'noise');
  for (const c of clusters.slice(0, PROMOTE_SUGGESTIONS)) {
    out.push({ action: 'promote', cluster: c.id, why: `${c.size} item(s) (${(c.share * 100).toFixed(0)}%) fail as "${c.name}"${c.owners.length ? `; owners ${c.owners.join(', ')}` : ''}: keep them as a regression set a gate can guard (slicePrefix: 'cluster:')`, command: `evalops triage ${flag} --promote ${c.id} --dataset ${dataset}` });
  }
  const release = result.evidence?.cohort.release ?? null;
  if (release !== null) {
    // The cluster that concentrates in the alert's release (a canary's) says the release, not the traffic, moved.
    const onRelease = clusters.find((c) => c.releases.some((r) => r.release === release && r.enrichment >= 1.2 && r.count >= 2));
    const e = result.evidence;
    if (onRelease) {
      const share = onRelease.releases.find((r) => r.release === release);
      out.push({ action: e?.cohort.live ? 'narrow' : 'roll_back', cluster: onRelease.id, why: `${onRelease.id} concentrates in release ${release} (enrichment ${share?.enrichment.toFixed(1)})`, command: e?.cohort.live ? null : `evalops releases rollback ${release} --project ${project} --reason "triage: ${onRelease.name}"` });
      if (e?.cohort.live) out.push({ action: 'roll_back', cluster: onRelease.id, why: `if the rerun confirms it: roll the canary ${release} back to ${e.cohort.live}`, command: `evalops releases rollback ${release} --project ${project} --reason "triage: ${onRelease.name}"` });
    } else {
      out.push({ action: 'investigate', cluster: null, why: `no cluster concentrates in release ${release}: the traffic may have changed rather than the release`, command: null });
    }
  }
  return out;
}
