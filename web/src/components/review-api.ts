import { api, unwrap } from '../api/client';

/**
 * The review and calibration calls the pages share, and the types of their answers (as the typed
 * client returns them).
 */

export const fetchQueues = async (project: string) => unwrap(await api.GET('/projects/{project}/review/queues', { params: { path: { project } } }));
export type Queue = Awaited<ReturnType<typeof fetchQueues>>['queues'][number];

export const fetchQueue = async (project: string, queue: string) => unwrap(await api.GET('/projects/{project}/review/queues/{queue}', { params: { path: { project, queue } } }));

export type ItemStatus = 'all' | 'open' | 'settled' | 'disputed';
export const fetchItems = async (project: string, queue: string, status: ItemStatus, after: number | undefined, limit: number) =>
  unwrap(await api.GET('/projects/{project}/review/queues/{queue}/items', { params: { path: { project, queue }, query: { status, limit, ...(after === undefined ? {} : { after }) } } }));
export type QueueItem = Awaited<ReturnType<typeof fetchItems>>['items'][number];

export const fetchAgreement = async (project: string, queue: string) => unwrap(await api.GET('/projects/{project}/review/queues/{queue}/agreement', { params: { path: { project, queue } } }));
export type Agreement = Awaited<ReturnType<typeof fetchAgreement>>;

export const nextItem = async (project: string, queue: string) => unwrap(await api.POST('/projects/{project}/review/queues/{queue}/next', { params: { path: { project, queue } } }));
export type NextItem = NonNullable<Awaited<ReturnType<typeof nextItem>>['item']>;

export const labelItem = async (project: string, queue: string, item: string, body: { label: string; note?: string; seconds?: number }) =>
  unwrap(await api.POST('/projects/{project}/review/queues/{queue}/items/{item}/labels', { params: { path: { project, queue, item } }, body }));

/** Gives back an item the caller holds: `skip` (never offered to them again) or `release` (back to the queue). */
export const giveBackItem = async (project: string, queue: string, item: string, how: 'skip' | 'release') =>
  unwrap(
    how === 'skip'
      ? await api.POST('/projects/{project}/review/queues/{queue}/items/{item}/skip', { params: { path: { project, queue, item } } })
      : await api.POST('/projects/{project}/review/queues/{queue}/items/{item}/release', { params: { path: { project, queue, item } } }),
  );

export const adjudicateItem = async (project: string, queue: string, item: string, label: string) =>
  unwrap(await api.POST('/projects/{project}/review/queues/{queue}/items/{item}/adjudicate', { params: { path: { project, queue, item } }, body: { label } }));

export const fetchJudges = async (project: string) => unwrap(await api.GET('/projects/{project}/judges', { params: { path: { project } } }));
export type Judge = Awaited<ReturnType<typeof fetchJudges>>['judges'][number];

export const fetchCalibrations = async (project: string, metric: string) => unwrap(await api.GET('/projects/{project}/calibrations/{metric}', { params: { path: { project, metric } } }));
export type CalibrationReport = Awaited<ReturnType<typeof fetchCalibrations>>['calibrations'][number]['report'];

export const fetchDrift = async (project: string, metric: string) => unwrap(await api.GET('/projects/{project}/judges/{metric}/drift', { params: { path: { project, metric } } }));

/** Time spent as people say it: "4.2 s" under ten seconds, "38 s" under a minute, else "2.5 min". */
export const minutes = (seconds: number): string => (seconds < 10 ? `${seconds.toFixed(1)} s` : seconds < 60 ? `${Math.round(seconds)} s` : `${(seconds / 60).toFixed(1)} min`);

/** A statistic with two decimals and a true minus sign: "0.33", "−0.12". */
export const stat = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${x < 0 ? '−' : ''}${Math.abs(x).toFixed(2)}`);
