import { describe, expect, it } from 'vitest';
import type { Example } from '../core/example.js';
import { datasetVersionHash, exampleHash } from './dataset-hash.js';

const a: Example = { id: 'a', input: { q: 'refund?', lang: 'en' }, expected: 'policy', metadata: { tier: 1 }, slices: ['intent:refund'], source: 'manual' };
const b: Example = { id: 'b', input: 'hello', metadata: {}, slices: [], source: 'trace' };
const c: Example = { id: 'B', input: 'hello', metadata: {}, slices: [], source: 'trace' };

describe('datasetVersionHash', () => {
  it('is 16 hex characters', () => {
    expect(datasetVersionHash([a, b])).toMatch(/^[0-9a-f]{16}$/);
  });

  it('does not depend on example order or key order', () => {
    const reordered: Example = { source: 'manual', slices: ['intent:refund'], metadata: { tier: 1 }, expected: 'policy', input: { lang: 'en', q: 'refund?' }, id: 'a' };
    expect(datasetVersionHash([b, c, reordered])).toBe(datasetVersionHash([a, b, c]));
  });

  it('changes when any field of any example changes', () => {
    const base = datasetVersionHash([a, b]);
    expect(datasetVersionHash([{ ...a, expected: 'other' }, b])).not.toBe(base);
    expect(datasetVersionHash([{ ...a, metadata: { tier: 2 } }, b])).not.toBe(base);
    expect(datasetVersionHash([{ ...a, slices: [] }, b])).not.toBe(base);
    expect(datasetVersionHash([a, { ...b, source: 'manual' }])).not.toBe(base);
    expect(datasetVersionHash([a, { ...b, id: 'b2' }])).not.toBe(base);
    expect(datasetVersionHash([a])).not.toBe(base);
  });

  it('does not mistake two examples for one with their content run together', () => {
    const one: Example = { id: 'x', input: 'a', metadata: {}, slices: [], source: 'manual' };
    const two: Example = { id: 'y', input: 'b', metadata: {}, slices: [], source: 'manual' };
    expect(datasetVersionHash([one, two])).not.toBe(datasetVersionHash([{ ...one, input: 'ab' }]));
  });

  it('does not modify the array it is given', () => {
    const list = [b, a];
    datasetVersionHash(list);
    expect(list).toEqual([b, a]);
  });
});

describe('exampleHash', () => {
  it('is stable under key order and changes with content', () => {
    expect(exampleHash({ ...a, input: { lang: 'en', q: 'refund?' } })).toBe(exampleHash(a));
    expect(exampleHash({ ...a, expected: 'other' })).not.toBe(exampleHash(a));
  });
});
