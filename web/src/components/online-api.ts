import { api, unwrap } from '../api/client';

/** The online-rule calls the online pages share, and the types of their answers (as the typed client returns them). */

export const fetchOnlineRules = async (project: string) => unwrap(await api.GET('/projects/{project}/online/rules', { params: { path: { project } } }));
export type OnlineRule = Awaited<ReturnType<typeof fetchOnlineRules>>['rules'][number];

export const fetchOnlineRule = async (project: string, rule: string) => unwrap(await api.GET('/projects/{project}/online/rules/{rule}', { params: { path: { project, rule } } }));

/** What the series can chart (the API's signals of sampled traces; judge–human disagreement lives on the judges page). */
export const SERIES_SIGNALS = ['pass_rate', 'mean_score', 'latency_p50', 'latency_p95', 'error_rate', 'cost_per_success', 'negative_feedback_rate'] as const;
export type SeriesSignal = (typeof SERIES_SIGNALS)[number];

export interface SeriesRequest {
  readonly signal: SeriesSignal;
  readonly metric: string | undefined;
  /** release, variant, a cohort attribute of the rule, or all. */
  readonly by: string;
  readonly bucketMinutes: number;
  readonly sinceMs: number;
}

/** A rule's time series per cohort, from `sinceMs` until now. */
export const fetchOnlineSeries = async (project: string, rule: string, r: SeriesRequest) =>
  unwrap(
    await api.GET('/projects/{project}/online/rules/{rule}/series', {
      params: { path: { project, rule }, query: { signal: r.signal, by: r.by, bucketMinutes: r.bucketMinutes, since: new Date(r.sinceMs).toISOString(), ...(r.metric ? { metric: r.metric } : {}) } },
    }),
  );
export type OnlineSeriesCell = Awaited<ReturnType<typeof fetchOnlineSeries>>['cells'][number];
