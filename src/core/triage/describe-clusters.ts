import type { TextClusters } from './cluster-failures.js';
import type { FailureCluster, TriageItem } from './triage-cluster.js';

/**
 * What each cluster is, for the person or agent triaging: size and share, the slices and releases it
 * concentrates in (enrichment: share in the cluster ÷ share in the whole population), its failing
 * metrics and their owners, the 5 items closest to its centroid, and when it was first seen.
 */

/** The whole the enrichment is measured against: every scored example of a run, every trace in the window. */
export interface Population {
  readonly total: number;
  readonly slices: Readonly<Record<string, number>>;
  readonly releases: Readonly<Record<string, number>>;
}

const REPRESENTATIVES = 5;
const MAX_CONCENTRATIONS = 8;
const PREVIEW = 400;

export function describeClusters(
  items: readonly TriageItem[],
  clusters: TextClusters,
  context: { readonly owners: Readonly<Record<string, string>>; readonly population?: Population; readonly names?: readonly (string | undefined)[] },
): FailureCluster[] {
  const population = context.population ?? populationOf(items);
  const groups: number[][] = clusters.sizes.map(() => []);
  const noise: number[] = [];
  clusters.labels.forEach((l, i) => (l >= 0 ? (groups[l] as number[]).push(i) : noise.push(i)));
  const described = groups.map((g, k) => describe(`c${k + 1}`, context.names?.[k] ?? termsName(clusters.terms[k] ?? []), clusters.terms[k] ?? [], g, items, clusters, population, context.owners));
  if (noise.length > 0) described.push(describe('noise', 'unclustered', [], noise, items, clusters, population, context.owners));
  // Two clusters could read alike: the slice must still name one cluster.
  const seen = new Set<string>();
  return described.map((c) => {
    const slice = seen.has(c.slice) ? `${c.slice}-${c.id}` : c.slice;
    seen.add(slice);
    return { ...c, slice };
  });
}

/** The population of the triaged items themselves, when nothing larger is known. */
export function populationOf(items: readonly TriageItem[]): Population {
  const slices: Record<string, number> = {};
  const releases: Record<string, number> = {};
  for (const it of items) {
    for (const s of new Set(it.slices)) slices[s] = (slices[s] ?? 0) + 1;
    if (it.release !== undefined) releases[it.release] = (releases[it.release] ?? 0) + 1;
  }
  return { total: items.length, slices, releases };
}

/** A cluster slice's value: lowercase words joined by hyphens, at most 48 characters. */
export function clusterSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return slug === '' ? 'unnamed' : slug;
}

/** A cluster's name from its distinguishing terms (bigrams `a_b` read as "a b"), or "unnamed". */
export function termsName(terms: readonly string[]): string {
  return terms.length === 0 ? 'unnamed' : terms.map((t) => t.replace(/_/g, ' ')).join(', ');
}

function describe(
  id: string,
  name: string,
  terms: readonly string[],
  members: readonly number[],
  items: readonly TriageItem[],
  clusters: TextClusters,
  population: Population,
  owners: Readonly<Record<string, string>>,
): FailureCluster {
  const size = members.length;
  const its = members.map((i) => items[i] as TriageItem);
  const sliceCounts = countBy(its.flatMap((it) => [...new Set(it.slices)]));
  const releaseCounts = countBy(its.flatMap((it) => (it.release === undefined ? [] : [it.release])));
  const metricCounts = countBy(its.flatMap((it) => [...new Set(it.failingMetrics)]));
  const concentration = (count: number, overall: number): { count: number; share: number; overallShare: number; enrichment: number } => {
    const share = count / size;
    const overallShare = population.total === 0 ? 0 : Math.max(overall, count) / Math.max(population.total, size);
    return { count, share, overallShare, enrichment: overallShare === 0 ? 0 : share / overallShare };
  };
  const byEnrichment = <T extends { enrichment: number; count: number }>(a: T, b: T): number => b.enrichment - a.enrichment || b.count - a.count;
  const slices = [...sliceCounts]
    .map(([slice, count]) => ({ slice, ...concentration(count, population.slices[slice] ?? 0) }))
    .sort((a, b) => byEnrichment(a, b) || a.slice.localeCompare(b.slice))
    .slice(0, MAX_CONCENTRATIONS);
  const releases = [...releaseCounts]
    .map(([release, count]) => ({ release, ...concentration(count, population.releases[release] ?? 0) }))
    .sort((a, b) => byEnrichment(a, b) || a.release.localeCompare(b.release))
    .slice(0, MAX_CONCENTRATIONS);
  const failingMetrics = [...metricCounts].map(([metric, count]) => ({ metric, count, share: count / size })).sort((a, b) => b.count - a.count || a.metric.localeCompare(b.metric));
  const representatives = [...members]
    .sort((a, b) => (clusters.similarity[b] as number) - (clusters.similarity[a] as number) || a - b)
    .slice(0, REPRESENTATIVES)
    .map((i) => {
      const it = items[i] as TriageItem;
      return {
        key: it.key,
        ...(it.exampleId === undefined ? {} : { exampleId: it.exampleId }),
        ...(it.traceId === undefined ? {} : { traceId: it.traceId }),
        input: clip(it.input),
        output: clip(it.output),
        reason: clip(it.reason),
        similarity: clusters.similarity[i] as number,
      };
    });
  let first = Infinity;
  for (const it of its) if (it.timeMs !== undefined && it.timeMs < first) first = it.timeMs;
  return {
    id,
    name,
    terms: [...terms],
    slice: `cluster:${clusterSlug(name)}`,
    size,
    share: items.length === 0 ? 0 : size / items.length,
    slices,
    releases,
    failingMetrics,
    owners: [...new Set(failingMetrics.flatMap((m) => (owners[m.metric] ? [owners[m.metric] as string] : [])))],
    representatives,
    itemKeys: its.map((it) => it.key),
    firstSeen: first === Infinity ? null : new Date(first).toISOString(),
  };
}

function countBy(values: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of values) out.set(v, (out.get(v) ?? 0) + 1);
  return out;
}

function clip(text: string): string {
  return text.length <= PREVIEW ? text : `${text.slice(0, PREVIEW - 1)}…`;
}
