import { z } from 'zod';
import { clusterTexts } from '../triage/cluster-failures.js';
import { clusterSlug, termsName } from '../triage/describe-clusters.js';

/**
 * Coverage by clusters: what users ask, grouped by what they ask rather than by the slice attributes
 * an application remembered to set. The inputs of a sample of the window's traces and of the
 * dataset's examples are clustered together (the triage's offline method: TF-IDF, average linkage on
 * a seeded sample, nearest-centroid assignment; cluster-failures.ts), so a cluster holds production
 * traffic and the examples that resemble it. A cluster whose examples are fewer than `k` is uncovered;
 * a trace sharing no term with any cluster is "unclustered" and counts as uncovered too (nothing in
 * the dataset resembles it). Deterministic for the same texts, in the same order, and seed.
 */

export const ClusterCoverageSchema = z.object({
  method: z.literal('tfidf').describe('the offline clustering method of `evalops triage`'),
  /** Traces of the window whose inputs were clustered (a seeded sample of at most `maxTraces`). */
  sampled: z.number().int(),
  windowTraces: z.number().int(),
  /** Share of the sampled traffic in clusters with at least k examples; null without traffic. */
  coveredShare: z.number().nullable(),
  clusters: z.array(
    z.object({
      id: z.string(),
      name: z.string().describe('its most distinguishing terms'),
      slice: z.string().describe('`cluster:<slug>`: the slice its promoted traces can be given'),
      traffic: z.number().int().describe('sampled traces in the cluster'),
      share: z.number().describe('traffic ÷ sampled'),
      examples: z.number().int().describe('dataset examples in the cluster'),
      covered: z.boolean(),
      exampleTraceIds: z.array(z.string()).describe('the traces closest to its centre (at most 3)'),
      exampleIds: z.array(z.string()).describe('the dataset examples closest to its centre (at most 3)'),
    }),
  ),
  unclustered: z.object({ traffic: z.number().int(), share: z.number(), exampleTraceIds: z.array(z.string()) }),
});
export type ClusterCoverage = z.infer<typeof ClusterCoverageSchema>;

export interface ClusterCoverageInput {
  readonly production: readonly { readonly traceId: string; readonly text: string }[];
  readonly dataset: readonly { readonly exampleId: string; readonly text: string }[];
  readonly windowTraces: number;
  /** Examples a cluster needs to count as covered. */
  readonly k: number;
  readonly seed: number;
  /**
   * At most this many clusters (default 50). More than triage's 20: a coverage gap is a topic of its
   * own, and forcing topics together hides it — on 37 planted topics, 20 clusters reported 96% covered
   * where the slices said 82%; 40 found the 37 topics and 82% (bench/RESULTS.md §29).
   */
  readonly maxClusters?: number;
}

const EXAMPLES = 3;

export function computeClusterCoverage(input: ClusterCoverageInput): ClusterCoverage {
  const sampled = input.production.length;
  const texts = [...input.production.map((p) => p.text), ...input.dataset.map((d) => d.text)];
  const clusters = clusterTexts(texts, { seed: input.seed, maxClusters: input.maxClusters ?? 50 });
  // Members of each cluster by index: production texts first, then the dataset's.
  const traces: number[][] = clusters.sizes.map(() => []);
  const exampleMembers: number[][] = clusters.sizes.map(() => []);
  const unclustered: number[] = [];
  clusters.labels.forEach((label, i) => {
    if (label < 0) {
      if (i < sampled) unclustered.push(i);
    } else (((i < sampled ? traces : exampleMembers)[label]) as number[]).push(i);
  });
  const closest = (members: readonly number[]): number[] => [...members].sort((a, b) => (clusters.similarity[b] as number) - (clusters.similarity[a] as number) || a - b).slice(0, EXAMPLES);
  const seenSlices = new Set<string>();
  const out = clusters.sizes.map((_, c) => {
    const name = termsName(clusters.terms[c] ?? []);
    let slug = clusterSlug(name);
    if (seenSlices.has(slug)) slug = `${slug}-c${c + 1}`;
    seenSlices.add(slug);
    const inTraffic = traces[c] as number[];
    const inDataset = exampleMembers[c] as number[];
    return {
      id: `c${c + 1}`,
      name,
      slice: `cluster:${slug}`,
      traffic: inTraffic.length,
      share: sampled ? inTraffic.length / sampled : 0,
      examples: inDataset.length,
      covered: inDataset.length >= input.k,
      exampleTraceIds: closest(inTraffic).map((i) => (input.production[i] as { traceId: string }).traceId),
      exampleIds: closest(inDataset).map((i) => (input.dataset[i - sampled] as { exampleId: string }).exampleId),
    };
  });
  // Most traffic first; a cluster of examples alone (what production no longer asks) last.
  out.sort((a, b) => b.traffic - a.traffic || b.examples - a.examples || a.id.localeCompare(b.id));
  const covered = out.reduce((n, c) => n + (c.covered ? c.traffic : 0), 0);
  return {
    method: 'tfidf',
    sampled,
    windowTraces: input.windowTraces,
    coveredShare: sampled ? covered / sampled : null,
    clusters: out,
    unclustered: {
      traffic: unclustered.length,
      share: sampled ? unclustered.length / sampled : 0,
      exampleTraceIds: unclustered.slice(0, EXAMPLES).map((i) => (input.production[i] as { traceId: string }).traceId),
    },
  };
}
