import { describe, expect, it } from 'vitest';
import { computeClusterCoverage } from '../core/coverage/cluster-coverage.js';
import { findFailureClusters } from '../core/triage/find-failure-clusters.js';
import type { TriageItem } from '../core/triage/triage-cluster.js';
import { runClusteringOffThread } from './run-clustering-off-thread.js';

const items: TriageItem[] = Array.from({ length: 60 }, (_, i) => ({
  key: `k${i}`,
  input: i % 2 ? `refund for order ${i}` : `cancel my subscription ${i}`,
  output: 'sorry',
  reason: i % 2 ? 'missing refund policy' : 'did not cancel',
  slices: [],
  failingMetrics: ['answer'],
}));

describe('clustering off the event loop', () => {
  it('gives what the pure function gives, while the event loop keeps turning', async () => {
    let turns = 0;
    let done = false;
    const spin = (): void => {
      turns++;
      if (!done) setImmediate(spin);
    };
    setImmediate(spin);
    const off = await runClusteringOffThread('failureClusters', items, { owners: { answer: 'qa@example.com' }, options: { seed: 3 } });
    done = true;
    // A job run on the loop would resolve before any setImmediate callback; the worker's answer cannot.
    expect(turns).toBeGreaterThan(0);
    expect(off).toEqual(findFailureClusters(items, { owners: { answer: 'qa@example.com' }, options: { seed: 3 } }));
    const input = { production: items.map((x) => ({ traceId: x.key, text: x.input })), dataset: [{ exampleId: 'e', text: 'refund for order 1' }], windowTraces: 60, k: 1, seed: 1 };
    expect(await runClusteringOffThread('clusterCoverage', input)).toEqual(computeClusterCoverage(input));
  });

  it('runs one job at a time: others wait their turn in order, and past 8 waiting a request is refused as retryable (503 on the API)', async () => {
    const order: number[] = [];
    const jobs = Array.from({ length: 9 }, (_, i) => runClusteringOffThread('failureClusters', items, { options: { seed: i } }).then((r) => (order.push(i), r)));
    await expect(runClusteringOffThread('failureClusters', items, {})).rejects.toMatchObject({ code: 'infrastructure', retryable: true });
    const results = await Promise.all(jobs);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    results.forEach((r, i) => expect(r).toEqual(findFailureClusters(items, { options: { seed: i } })));
    // Free again once they are done.
    await expect(runClusteringOffThread('failureClusters', items, {})).resolves.toBeDefined();
  }, 120_000);

  it('a failure inside the job is an error naming it, and frees the slot', async () => {
    await expect(runClusteringOffThread('clusterCoverage', { production: null, dataset: [], windowTraces: 0, k: 1, seed: 1 } as never)).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/^clustering failed: TypeError/) });
    await expect(runClusteringOffThread('failureClusters', items, {})).resolves.toBeDefined();
  });
});
