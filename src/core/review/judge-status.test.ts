import { describe, expect, it } from 'vitest';
import { judgeStatus, meetsThresholds } from './judge-status.js';

describe('judgeStatus', () => {
  it('is uncalibrated without any calibration', () => {
    expect(judgeStatus(undefined, 'v1')).toBe('uncalibrated');
  });
  it('is the stored status for the calibrated version, and stale for any other', () => {
    expect(judgeStatus({ judgeVersion: 'v1', status: 'calibrated' }, 'v1')).toBe('calibrated');
    expect(judgeStatus({ judgeVersion: 'v1', status: 'uncalibrated' }, 'v1')).toBe('uncalibrated');
    expect(judgeStatus({ judgeVersion: 'v1', status: 'calibrated' }, 'v2')).toBe('stale');
  });
});

describe('meetsThresholds', () => {
  const t = { minKappa: 0.6, minItems: 100 };
  it('needs both the kappa and the number of items', () => {
    expect(meetsThresholds(0.6, 100, t)).toBe(true);
    expect(meetsThresholds(0.59, 500, t)).toBe(false);
    expect(meetsThresholds(0.95, 99, t)).toBe(false);
    expect(meetsThresholds(null, 500, t)).toBe(false);
  });
});
