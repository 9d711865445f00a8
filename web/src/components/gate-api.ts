import { api, unwrap } from '../api/client';

/**
 * The gate, release and audit calls the pages share, and the types of their answers (as the typed
 * client returns them).
 */

export const fetchDecision = async (decisionId: string) => unwrap(await api.GET('/gate-decisions/{decisionId}', { params: { path: { decisionId } } }));
export type Decision = Awaited<ReturnType<typeof fetchDecision>>;

/** A release by id, or by variant within `project`. */
export const fetchRelease = async (release: string, project: string) => unwrap(await api.GET('/releases/{release}', { params: { path: { release }, query: { project } } }));
export type Release = Awaited<ReturnType<typeof fetchRelease>>;

export const overrideDecision = async (decisionId: string, body: { reason: string; evidence: string; outcome: 'approve' | 'narrow'; percent?: number; project: string }) =>
  unwrap(await api.POST('/gate-decisions/{decisionId}/overrides', { params: { path: { decisionId } }, body }));
export type OverrideResult = Awaited<ReturnType<typeof overrideDecision>>;

export const promoteRelease = async (release: string, project: string, percent?: number) =>
  unwrap(await api.POST('/releases/{release}/promote', { params: { path: { release }, query: { project } }, body: percent === undefined ? {} : { percent } }));

export const rollbackRelease = async (release: string, project: string, reason: string) =>
  unwrap(await api.POST('/releases/{release}/rollback', { params: { path: { release }, query: { project } }, body: { reason } }));
