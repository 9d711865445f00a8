import { describe, expect, it } from 'vitest';
import { recommendLifecycle } from './lifecycle-recommendation.js';

describe('recommendLifecycle', () => {
  it('graduates a capability metric that stayed at or above 95% for the window', () => {
    expect(recommendLifecycle('m', 'capability', [0.96, 0.97, 0.95, 0.99, 0.98])).toMatchObject({ recommended: 'regression' });
    expect(recommendLifecycle('m', 'capability', [0.96, 0.97, 0.94, 0.99, 0.98])).toBeUndefined();
  });
  it('marks a metric at 100% for the whole window saturated', () => {
    expect(recommendLifecycle('m', 'regression', [1, 1, 1, 1, 1])).toMatchObject({ recommended: 'saturated' });
    expect(recommendLifecycle('m', 'capability', [1, 1, 1, 1, 1])).toMatchObject({ recommended: 'saturated' });
    expect(recommendLifecycle('m', 'regression', [1, 1, 1, 1, 0.99])).toBeUndefined();
  });
  it('needs a full window of scored runs', () => {
    expect(recommendLifecycle('m', 'regression', [1, 1, 1, 1])).toBeUndefined();
    expect(recommendLifecycle('m', 'regression', [1, 1, null, 1, 1])).toBeUndefined();
  });
  it('brings a saturated metric back to regression when it drops', () => {
    expect(recommendLifecycle('m', 'saturated', [0.9])).toMatchObject({ recommended: 'regression' });
    expect(recommendLifecycle('m', 'saturated', [1, 1])).toBeUndefined();
  });
  it('leaves retired metrics alone', () => {
    expect(recommendLifecycle('m', 'retired', [1, 1, 1, 1, 1])).toBeUndefined();
  });
});
