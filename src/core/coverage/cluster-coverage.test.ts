import { describe, expect, it } from 'vitest';
import { computeClusterCoverage } from './cluster-coverage.js';
import { inputText } from './input-text.js';

const refund = (i: number): string => [`I want a refund for order ${i}`, `please refund my order ${i}, it arrived broken`, `refund request for the damaged order ${i}`][i % 3] as string;
const cancel = (i: number): string => [`how do I cancel my subscription plan`, `cancel the subscription before it renews (${i})`, `stop my subscription plan renewal ${i}`][i % 3] as string;
const shipping = (i: number): string => [`where is my package, tracking number ${i}`, `package tracking shows no movement ${i}`, `when will the package arrive, tracking ${i}`][i % 3] as string;

function input(seed = 1) {
  const production = [
    ...Array.from({ length: 9 }, (_, i) => ({ traceId: `r${i}`, text: refund(i) })),
    ...Array.from({ length: 6 }, (_, i) => ({ traceId: `c${i}`, text: cancel(i) })),
    ...Array.from({ length: 3 }, (_, i) => ({ traceId: `s${i}`, text: shipping(i) })),
  ];
  const dataset = [...Array.from({ length: 6 }, (_, i) => ({ exampleId: `ex-r${i}`, text: refund(i + 20) })), ...Array.from({ length: 5 }, (_, i) => ({ exampleId: `ex-s${i}`, text: shipping(i + 20) }))];
  return { production, dataset, windowTraces: 18, k: 5, seed };
}

describe('coverage by clusters', () => {
  it('puts traffic and examples that ask the same thing in one cluster, and finds what the dataset does not cover', () => {
    const c = computeClusterCoverage(input());
    const of = (prefix: string) => c.clusters.filter((x) => x.exampleTraceIds.some((id) => id.startsWith(prefix)));
    expect(of('c')).toHaveLength(1);
    const cancelCluster = of('c')[0]!;
    expect(cancelCluster).toMatchObject({ traffic: 6, examples: 0, covered: false, share: 6 / 18 });
    expect(cancelCluster.name).toMatch(/subscription|cancel/);
    expect(cancelCluster.slice).toMatch(/^cluster:[a-z0-9-]+$/);
    const refundCluster = of('r')[0]!;
    expect(refundCluster).toMatchObject({ traffic: 9, examples: 6, covered: true });
    expect(refundCluster.exampleIds.every((id) => id.startsWith('ex-r'))).toBe(true);
    expect(of('s')[0]).toMatchObject({ traffic: 3, examples: 5, covered: true });
    expect(c.coveredShare).toBeCloseTo(12 / 18, 12);
    expect(c.sampled).toBe(18);
    expect(c.clusters[0]!.traffic).toBeGreaterThanOrEqual(c.clusters[1]!.traffic);
  });

  it('is deterministic for the same texts and seed', () => {
    expect(computeClusterCoverage(input(5))).toEqual(computeClusterCoverage(input(5)));
  });

  it('counts a cluster as uncovered when its examples are fewer than k', () => {
    const c = computeClusterCoverage({ ...input(), k: 7 });
    expect(c.clusters.filter((x) => x.traffic > 0).every((x) => !x.covered)).toBe(true);
    expect(c.coveredShare).toBe(0);
  });

  it('with no traffic has no covered share, and a text sharing no term is unclustered and uncovered', () => {
    expect(computeClusterCoverage({ production: [], dataset: input().dataset, windowTraces: 0, k: 5, seed: 1 }).coveredShare).toBeNull();
    const odd = computeClusterCoverage({ ...input(), production: [...input().production, { traceId: 'odd', text: 'zzqx' }] });
    expect(odd.unclustered.exampleTraceIds).toContain('odd');
    expect(odd.coveredShare).toBeCloseTo(12 / 19, 12);
  });
});

describe('inputText', () => {
  it('reads user messages, content parts, and other values as JSON', () => {
    expect(inputText('hi')).toBe('hi');
    expect(inputText([{ role: 'system', content: 'be kind' }, { role: 'user', content: 'refund?' }, { role: 'assistant', content: 'yes' }])).toBe('refund?');
    expect(inputText({ messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, 'b'] }] })).toBe('a\nb');
    expect(inputText([{ role: 'assistant', content: 'only me' }])).toBe('only me');
    expect(inputText({ question: 'q' })).toBe('{"question":"q"}');
    expect(inputText(undefined)).toBe('');
    expect(inputText('x'.repeat(3000))).toHaveLength(2000);
  });
});
