import { api, ApiError, unwrap } from '../api/client';

/** The playground's calls: run a draft, read and save a release's config, and the inputs to pick from. */

export type DraftConfig = Record<string, unknown>;

export type PlaygroundSource = { kind: 'examples'; dataset: string; exampleIds: string[] } | { kind: 'trace'; traceId: string };

export const runDraft = async (project: string, config: DraftConfig, source: PlaygroundSource) =>
  unwrap(
    await api.POST('/projects/{project}/playground/run', {
      params: { path: { project } },
      body: source.kind === 'trace' ? { config, traceId: source.traceId } : { config, dataset: source.dataset, exampleIds: source.exampleIds },
    }),
  );
export type PlaygroundRun = Awaited<ReturnType<typeof runDraft>>;
export type PlaygroundItem = PlaygroundRun['items'][number];

export const fetchReleases = async (project: string) => unwrap(await api.GET('/projects/{project}/releases', { params: { path: { project }, query: { limit: 100 } } }));

export const fetchDatasets = async (project: string) => unwrap(await api.GET('/projects/{project}/datasets', { params: { path: { project } } }));

/** The first examples of a dataset's newest version: what the playground offers to pick from. */
export const fetchExamples = async (project: string, dataset: string) => unwrap(await api.GET('/projects/{project}/datasets/{dataset}', { params: { path: { project, dataset }, query: { limit: 50, offset: 0 } } }));

/** A release's config, or null when the release has none. */
export async function fetchReleaseConfig(project: string, release: string): Promise<{ config: DraftConfig; configHash: string } | null> {
  const res = await fetch(`/api/v1/projects/${encodeURIComponent(project)}/releases/${encodeURIComponent(release)}/config`, { credentials: 'same-origin' });
  if (res.status === 404) return null;
  const body = (await res.json()) as { config: DraftConfig; configHash: string; error?: { message: string; code: string } };
  if (!res.ok) throw new ApiError(res.status, body.error?.message ?? `HTTP ${res.status}`, body.error?.code ?? 'unknown');
  return body;
}

/** Stores a config as the release's (a new name makes a candidate release); answers its content hash. */
export async function saveReleaseConfig(project: string, release: string, config: DraftConfig): Promise<{ configHash: string }> {
  const res = await fetch(`/api/v1/projects/${encodeURIComponent(project)}/releases/${encodeURIComponent(release)}/config`, {
    method: 'PUT',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-evalops-csrf': '1' },
    body: JSON.stringify({ config }),
  });
  const body = (await res.json()) as { configHash: string; error?: { message: string; code: string } };
  if (!res.ok) throw new ApiError(res.status, body.error?.message ?? `HTTP ${res.status}`, body.error?.code ?? 'unknown');
  return body;
}
