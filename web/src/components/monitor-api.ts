import { api, unwrap } from '../api/client';

/**
 * The monitor and alert calls the pages share, and the types of their answers (as the typed client
 * returns them).
 */

export type AlertFilter = 'all' | 'unresolved' | 'open' | 'acknowledged' | 'resolved';

export const fetchAlerts = async (project: string, status: AlertFilter, limit = 200) =>
  unwrap(await api.GET('/projects/{project}/alerts', { params: { path: { project }, query: { limit, ...(status === 'all' ? {} : { status }) } } }));
export type Alert = Awaited<ReturnType<typeof fetchAlerts>>['alerts'][number];
export type AlertStatus = Alert['status'];

export const fetchAlert = async (project: string, alert: string) => unwrap(await api.GET('/projects/{project}/alerts/{alert}', { params: { path: { project, alert } } }));

export const acknowledgeAlert = async (project: string, alert: string, note: string | undefined) =>
  unwrap(await api.POST('/projects/{project}/alerts/{alert}/acknowledge', { params: { path: { project, alert } }, body: note ? { note } : {} }));

export const resolveAlert = async (project: string, alert: string, note: string | undefined) =>
  unwrap(await api.POST('/projects/{project}/alerts/{alert}/resolve', { params: { path: { project, alert } }, body: note ? { note } : {} }));

export const fetchMonitors = async (project: string) => unwrap(await api.GET('/projects/{project}/monitors', { params: { path: { project } } }));
export type Monitor = Awaited<ReturnType<typeof fetchMonitors>>['monitors'][number];

/** A metric's pass rate per release in buckets of `bucketMinutes`, from `sinceMs` until now. */
export const fetchPassRateSeries = async (project: string, rule: string, metric: string, sinceMs: number, bucketMinutes: number) =>
  unwrap(
    await api.GET('/projects/{project}/online/rules/{rule}/series', {
      params: { path: { project, rule }, query: { signal: 'pass_rate', metric, by: 'release', bucketMinutes, since: new Date(sinceMs).toISOString() } },
    }),
  );
export type SeriesCell = Awaited<ReturnType<typeof fetchPassRateSeries>>['cells'][number];
