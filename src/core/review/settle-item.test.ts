import { describe, expect, it } from 'vitest';
import { isDisputed, settledLabel } from './settle-item.js';

describe('settledLabel', () => {
  it('settles when as many reviewers as asked gave one label', () => {
    expect(settledLabel(['right', 'right'], 2)).toBe('right');
    expect(settledLabel(['right'], 1)).toBe('right');
  });
  it('does not settle before every reviewer labelled, or when they disagree', () => {
    expect(settledLabel(['right'], 2)).toBeNull();
    expect(settledLabel(['right', 'wrong'], 2)).toBeNull();
    expect(settledLabel([], 1)).toBeNull();
  });
  it('takes an adjudicated label over anything else', () => {
    expect(settledLabel(['right', 'wrong'], 2, 'wrong')).toBe('wrong');
    expect(isDisputed(['right', 'wrong'], 'wrong')).toBe(false);
    expect(isDisputed(['right', 'wrong'])).toBe(true);
  });
});
