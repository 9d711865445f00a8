import { api, unwrap } from '../api/client';
import type { operations } from '../api/schema.gen';

/**
 * What a triage page clusters, as its URL says it (`/p/:project/triage?…`): a run's failures
 * (`run=`), a comparison's regressions (`baseline=&candidate=`), an alert's evidence window
 * (`alert=`) or the traces a trace-list filter selects (`traces=1` and the list's own parameters).
 * The same source, in the same words, goes to the promote operation, so it clusters alike.
 */
export type TriageSource =
  | { readonly kind: 'run'; readonly runId: string }
  | { readonly kind: 'compare'; readonly baselineRunId: string; readonly candidateRunId: string }
  | { readonly kind: 'alert'; readonly alertId: string }
  | { readonly kind: 'traces'; readonly filter: Readonly<Record<string, string | string[]>> };

export type TriageAnswer = operations['triageRun']['responses'][200]['content']['application/json'];
export type TriageCluster = TriageAnswer['clusters'][number];

/** The trace-list parameters a trace filter of triage may carry (the list's, without paging). */
export const TRACE_FILTER_KEYS = ['since', 'until', 'release', 'kind', 'session', 'user', 'errors', 'attr', 'hasFeedback'] as const;

/** The source of a triage page's search parameters; null when they name none. */
export function sourceOf(search: URLSearchParams): TriageSource | null {
  const run = search.get('run');
  if (run) return { kind: 'run', runId: run };
  const baseline = search.get('baseline');
  const candidate = search.get('candidate');
  if (baseline && candidate) return { kind: 'compare', baselineRunId: baseline, candidateRunId: candidate };
  const alert = search.get('alert');
  if (alert) return { kind: 'alert', alertId: alert };
  if (search.get('traces') === '1') {
    const filter: Record<string, string | string[]> = {};
    for (const k of TRACE_FILTER_KEYS) {
      const values = search.getAll(k).filter((v) => v !== '');
      if (values.length > 0) filter[k] = k === 'attr' ? values : values[0]!;
    }
    return { kind: 'traces', filter };
  }
  return null;
}

/** The address of the triage page of a source. */
export function triageHref(project: string, source: TriageSource): string {
  const q = new URLSearchParams();
  if (source.kind === 'run') q.set('run', source.runId);
  else if (source.kind === 'compare') {
    q.set('baseline', source.baselineRunId);
    q.set('candidate', source.candidateRunId);
  } else if (source.kind === 'alert') q.set('alert', source.alertId);
  else {
    q.set('traces', '1');
    for (const [k, v] of Object.entries(source.filter)) for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
  }
  return `/p/${encodeURIComponent(project)}/triage?${q.toString()}`;
}

/**
 * The triage report of a source, from the operation that serves that kind. (The client infers the
 * rerun comparison's `ci95` as `number[]` where the generated operation type has `[number, number]`;
 * each answer is asserted to the operation's type.)
 */
export async function fetchTriage(project: string, source: TriageSource): Promise<TriageAnswer> {
  switch (source.kind) {
    case 'run':
      return unwrap(await api.GET('/runs/{runId}/triage', { params: { path: { runId: source.runId } } })) as TriageAnswer;
    case 'compare':
      return unwrap(await api.GET('/runs/{baselineRunId}/compare/{candidateRunId}/triage', { params: { path: { baselineRunId: source.baselineRunId, candidateRunId: source.candidateRunId } } })) as TriageAnswer;
    case 'alert':
      return unwrap(await api.GET('/projects/{project}/alerts/{alert}/triage', { params: { path: { project, alert: source.alertId } } })) as TriageAnswer;
    case 'traces':
      return unwrap(await api.POST('/projects/{project}/traces/triage', { params: { path: { project } }, body: { filter: { ...source.filter }, options: {} } })) as TriageAnswer;
  }
}

/**
 * Where one item of a cluster can be seen: a trace's page; a comparison's example side by side; a
 * run's results of that example. Null when the item names neither an example nor a trace.
 */
export function itemHref(project: string, source: TriageSource, item: { exampleId?: string; traceId?: string }): string | null {
  const base = `/p/${encodeURIComponent(project)}`;
  if (item.traceId !== undefined) return `${base}/traces/${encodeURIComponent(item.traceId)}`;
  if (item.exampleId === undefined) return null;
  const example = encodeURIComponent(item.exampleId);
  if (source.kind === 'run') return `${base}/runs/${encodeURIComponent(source.runId)}?example=${example}`;
  if (source.kind === 'compare') return `${base}/compare?baseline=${encodeURIComponent(source.baselineRunId)}&candidate=${encodeURIComponent(source.candidateRunId)}&example=${example}`;
  return null;
}

/** How the source reads in a title. */
export function sourceTitle(source: TriageSource): string {
  switch (source.kind) {
    case 'run':
      return `failures of run ${source.runId}`;
    case 'compare':
      return `regressions of ${source.candidateRunId} against ${source.baselineRunId}`;
    case 'alert':
      return `alert ${source.alertId}`;
    case 'traces': {
      const f = Object.entries(source.filter).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`);
      return `traces${f.length ? ` (${f.join(', ')})` : ''}`;
    }
  }
}
