import { api, unwrap } from '../api/client';

/** Coverage and staleness of a dataset, read from the API (the server has no config: attribute mappings come from the page). */

export interface CoverageParams {
  readonly days: number;
  readonly minExamples: number;
  /** slice key → span attribute, besides `evalops.slice.*`. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly version?: string;
  /** Also cluster what users ask (sampled traces with the examples) — the uncovered clusters. */
  readonly clusters?: boolean;
}

export const fetchCoverage = async (project: string, dataset: string, p: CoverageParams) =>
  unwrap(
    await api.POST('/projects/{project}/datasets/{dataset}/coverage', {
      params: { path: { project, dataset } },
      body: { days: p.days, minExamples: p.minExamples, attributes: { ...p.attributes }, top: 20, ...(p.version ? { version: p.version } : {}), ...(p.clusters ? { clusters: {} } : {}) },
    }),
  );
export type Coverage = Awaited<ReturnType<typeof fetchCoverage>>;

export const fetchStaleness = async (project: string, dataset: string, version: string, weeks = 4) =>
  unwrap(await api.POST('/projects/{project}/datasets/{dataset}/staleness', { params: { path: { project, dataset } }, body: { version, weeks } }));
export type Staleness = Awaited<ReturnType<typeof fetchStaleness>>;

/** "intent=app.intent, lang=app.lang" → { intent: 'app.intent', lang: 'app.lang' }; null when a pair is not key=attribute. */
export function parseAttributes(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = part.indexOf('=');
    if (at < 1 || at === part.length - 1) return null;
    out[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return out;
}
