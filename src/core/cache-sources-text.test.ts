import { describe, expect, it } from 'vitest';
import { cacheSourcesText } from './cache-sources-text.js';

describe('cacheSourcesText', () => {
  it('says nothing when no result came from the cache', () => {
    expect(cacheSourcesText({ results: { total: 3, errors: 0, cached: 0, expected: 3 } })).toBeUndefined();
  });

  it('names each earlier run with its count and time', () => {
    const text = cacheSourcesText({
      results: { total: 5, errors: 0, cached: 4, expected: 5, cachedFrom: [{ runId: 'run_a', results: 3, at: '2026-12-01T10:00:00.000Z' }, { runId: null, results: 1, at: null }] },
    });
    expect(text).toBe('4 of 5 results came from the response cache: 3 from run run_a (recorded 2026-12-01T10:00:00.000Z), 1 from an earlier run');
  });
});
