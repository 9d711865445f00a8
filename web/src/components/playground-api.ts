import { api, unwrap } from '../api/client';

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
  const found = unwrap(await api.GET('/projects/{project}/releases/{release}/config', { params: { path: { project, release } } }));
  return found.config === null || found.configHash === null ? null : { config: found.config as DraftConfig, configHash: found.configHash };
}

/** Stores a config as the release's (a new name makes a candidate release); answers the release and the config's content hash. */
export const saveReleaseConfig = async (project: string, release: string, config: DraftConfig) =>
  unwrap(await api.PUT('/projects/{project}/releases/{release}/config', { params: { path: { project, release } }, body: { config: config as never } }));
