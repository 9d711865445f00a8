import { describe, expect, it } from 'vitest';
// The planted generator is shared with the triage bench (bench/triage/), which cannot import TypeScript.
import { plantedFailures } from '../../../bench/triage/planted-failures.mjs';
import { adjustedRandIndex } from '../stats/adjusted-rand-index.js';
import { fakeEmbedding } from '../../../test/support/fake-openai-server.js';
import { findFailureClusters, triageText } from './find-failure-clusters.js';
import type { TriageItem } from './triage-cluster.js';

function labelsOf(items: readonly TriageItem[], clusters: ReturnType<typeof findFailureClusters>): string[] {
  const byKey = new Map<string, string>();
  for (const c of clusters) for (const k of c.itemKeys) byKey.set(k, c.id);
  return items.map((it) => byKey.get(it.key) ?? 'missing');
}

describe('findFailureClusters', () => {
  it('recovers planted failure modes with an adjusted Rand index of at least 0.8', () => {
    const { items, modes } = plantedFailures(600, 7);
    const clusters = findFailureClusters(items, { owners: { cites_policy: 'product@example.com' } });
    const ari = adjustedRandIndex(labelsOf(items, clusters), modes);
    console.log(`planted 6 modes × 100 items: ${clusters.length} clusters, ARI ${ari.toFixed(3)}`);
    expect(ari).toBeGreaterThanOrEqual(0.8);
  });

  it('recovers the modes when the hierarchical step sees only a sample', () => {
    const { items, modes } = plantedFailures(3000, 11);
    const clusters = findFailureClusters(items, { options: { sampleSize: 300, seed: 3 } });
    expect(adjustedRandIndex(labelsOf(items, clusters), modes)).toBeGreaterThanOrEqual(0.8);
  });

  it('gives the same clusters for the same items and seed', () => {
    const { items } = plantedFailures(900, 5);
    const a = findFailureClusters(items, { options: { sampleSize: 200, seed: 9 } });
    const b = findFailureClusters(items, { options: { sampleSize: 200, seed: 9 } });
    expect(b).toEqual(a);
  });

  it('describes a cluster: name from distinguishing terms, enrichment, metrics, owners and representatives', () => {
    const { items } = plantedFailures(600, 7);
    const clusters = findFailureClusters(items, { owners: { cites_policy: 'product@example.com', right_tool: 'platform@example.com' } });
    const policy = clusters.find((c) => c.failingMetrics[0]?.metric === 'cites_policy');
    expect(policy).toBeDefined();
    if (!policy) return;
    expect(policy.size).toBe(100);
    expect(policy.share).toBeCloseTo(100 / 600, 12);
    expect(policy.owners).toEqual(['product@example.com']);
    expect(policy.name).toMatch(/refund|policy/);
    expect(policy.slice).toMatch(/^cluster:[a-z0-9-]+$/);
    // Every refund item is in this cluster: the slice's share in it is 1, overall 1/6, enrichment 6.
    expect(policy.slices[0]).toMatchObject({ slice: 'intent:refund', count: 100, share: 1 });
    expect(policy.slices[0]?.enrichment).toBeCloseTo(6, 12);
    expect(policy.representatives).toHaveLength(5);
    const sims = policy.representatives.map((r) => r.similarity);
    expect([...sims].sort((x, y) => y - x)).toEqual(sims);
    expect(policy.firstSeen).toBeNull();
  });

  it('dates a production cluster by its earliest item and measures enrichment against the given population', () => {
    const items: TriageItem[] = ['a', 'b', 'c', 'd'].map((k, i) => ({
      key: k,
      traceId: k,
      input: 'refund order please',
      output: 'sure refunded',
      reason: 'missing refund policy',
      slices: ['lang:es'],
      release: '2.0',
      failingMetrics: ['cites_policy'],
      timeMs: Date.UTC(2026, 11, 1, 10 + i),
    }));
    const [c] = findFailureClusters(items, { population: { total: 40, slices: { 'lang:es': 8 }, releases: { '2.0': 4 } } });
    expect(c?.size).toBe(4);
    expect(c?.firstSeen).toBe('2026-12-01T10:00:00.000Z');
    expect(c?.name).toMatch(/refund/);
    expect(c?.slices[0]?.enrichment).toBeCloseTo(1 / (8 / 40), 12);
    expect(c?.releases[0]).toMatchObject({ release: '2.0', count: 4, share: 1, overallShare: 0.1 });
  });

  it('answers no cluster for no items', () => {
    expect(findFailureClusters([])).toEqual([]);
  });
});

describe('findFailureClusters on embeddings', () => {
  // The stand-in server's embedding: a hashed bag of words, so texts sharing words lie close.
  const embed = (items: readonly TriageItem[]): number[][] => items.map((it) => fakeEmbedding(triageText(it)));

  it('recovers planted failure modes from embeddings with an adjusted Rand index of at least 0.8', () => {
    const { items, modes } = plantedFailures(600, 7);
    const clusters = findFailureClusters(items, { embeddings: embed(items) });
    const ari = adjustedRandIndex(labelsOf(items, clusters), modes);
    console.log(`planted 6 modes × 100 items on hashed-word embeddings: ${clusters.length} clusters, ARI ${ari.toFixed(3)}`);
    expect(ari).toBeGreaterThanOrEqual(0.8);
    // The names still come from the words of the cluster's texts.
    expect(clusters.find((c) => c.failingMetrics[0]?.metric === 'cites_policy')?.name).toMatch(/refund|policy/);
  });

  it('clusters by the vectors, not the words: vectors that disagree with the texts win', () => {
    const { items } = plantedFailures(120, 3);
    // Two orthogonal directions by the parity of the position, whatever the text says.
    const vectors = items.map((_, i) => (i % 2 === 0 ? [1, 0, 0] : [0, 1, 0]));
    const clusters = findFailureClusters(items, { embeddings: vectors });
    expect(clusters.map((c) => c.size)).toEqual([60, 60]);
    const even = new Set(items.filter((_, i) => i % 2 === 0).map((it) => it.key));
    expect(clusters.find((c) => c.itemKeys.every((k) => even.has(k)))).toBeDefined();
  });

  it('gives the same clusters for the same items, vectors and seed', () => {
    const { items } = plantedFailures(900, 5);
    const vectors = embed(items);
    const a = findFailureClusters(items, { embeddings: vectors, options: { sampleSize: 200, seed: 9 } });
    expect(findFailureClusters(items, { embeddings: vectors, options: { sampleSize: 200, seed: 9 } })).toEqual(a);
  });

  it('refuses vectors that do not match the items', () => {
    const { items } = plantedFailures(12, 1);
    expect(() => findFailureClusters(items, { embeddings: [[1, 0]] })).toThrow(/1 embedding\(s\) for 12 text\(s\)/);
    expect(() => findFailureClusters(items.slice(0, 2), { embeddings: [[1, 0], [1]] })).toThrow(/embedding 1 has 1 dimensions, the first has 2/);
    expect(() => findFailureClusters(items.slice(0, 1), { embeddings: [[Number.NaN]] })).toThrow(/embedding 0 holds NaN/);
  });
});
