import { describe, expect, it } from 'vitest';
import { GateConfigSchema, GateRuleSchema } from './gate-config.js';

function problems(rule: unknown): string[] {
  const parsed = GateRuleSchema.safeParse(rule);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('GateRuleSchema', () => {
  it('accepts the rules of the design example and fills the boolean defaults', () => {
    expect(GateRuleSchema.parse({ metric: 'cites_policy', noRegression: true, perSlice: true, action: 'block' })).toEqual({
      metric: 'cites_policy',
      noRegression: true,
      perSlice: true,
      useInterval: false,
      action: 'block',
    });
    expect(problems({ metric: 'right_tool', min: 0.95, action: 'require_approval' })).toEqual([]);
    expect(problems({ failureClass: 'policy_boundary', maxFailures: 0, action: 'block' })).toEqual([]);
    expect(problems({ metric: 'cost_per_success', max: 0.02, action: 'narrow', rolloutPercent: 10 })).toEqual([]);
    expect(problems({ metric: 'latency_p95', max: 1500, useInterval: true, action: 'block' })).toEqual([]);
    expect(problems({ metric: 'a', noRegression: true, minEffect: 0.02, action: 'block' })).toEqual([]);
  });

  it('needs exactly one of metric and failureClass', () => {
    expect(problems({ min: 0.5, action: 'block' })).toEqual(['metric: a gate rule names exactly one of `metric` or `failureClass`']);
    expect(problems({ metric: 'a', failureClass: 'cost', min: 0.5, action: 'block' })).toEqual([
      'failureClass: a gate rule names exactly one of `metric` or `failureClass`',
    ]);
  });

  it('needs a condition', () => {
    expect(problems({ metric: 'a', perSlice: true, action: 'block' })).toEqual([
      'action: a gate rule needs a condition: one of min, max, noRegression, maxFailures',
    ]);
  });

  it('requires rolloutPercent for narrow and forbids it otherwise', () => {
    expect(problems({ metric: 'cost_per_success', max: 0.02, action: 'narrow' })).toEqual([
      'rolloutPercent: action `narrow` needs `rolloutPercent` (1..99), the share of traffic the narrowed release gets',
    ]);
    expect(problems({ metric: 'a', min: 0.9, action: 'block', rolloutPercent: 10 })).toEqual([
      'rolloutPercent: rolloutPercent applies only to action `narrow`, not `block`',
    ]);
    expect(problems({ metric: 'a', min: 0.9, action: 'narrow', rolloutPercent: 100 })).toHaveLength(1);
  });

  it('keeps pass-rate bounds within 0..1 but not the bounds of built-in run metrics', () => {
    expect(problems({ metric: 'right_tool', min: 95, action: 'block' })).toEqual([
      'min: min is a pass rate between 0 and 1 (e.g. 0.95, not 95); got 95',
    ]);
    expect(problems({ metric: 'latency_p95', max: 2000, action: 'block' })).toEqual([]);
  });

  it('refuses min above max, minEffect without noRegression, unknown fields and actions', () => {
    expect(problems({ metric: 'a', min: 0.9, max: 0.5, action: 'block' })).toEqual(['min: min (0.9) is greater than max (0.5)']);
    expect(problems({ metric: 'a', min: 0.9, minEffect: 0.1, action: 'block' })).toEqual([
      'minEffect: minEffect applies only with `noRegression: true`',
    ]);
    expect(problems({ metric: 'a', min: 0.9, action: 'block', severity: 'high' })).toEqual([': Unrecognized key: "severity"']);
    expect(problems({ metric: 'a', min: 0.9, action: 'rollback' })).toHaveLength(1);
    expect(problems({ failureClass: 'vibes', maxFailures: 0, action: 'block' })).toHaveLength(1);
  });
});

describe('GateConfigSchema', () => {
  it('defaults the baseline to last-approved and needs at least one rule', () => {
    expect(GateConfigSchema.parse({ rules: [{ metric: 'a', min: 0.5, action: 'block' }] }).baseline).toBe('last-approved');
    expect(GateConfigSchema.parse({ baseline: 'run_123', rules: [{ metric: 'a', min: 0.5, action: 'block' }] }).baseline).toBe('run_123');
    expect(GateConfigSchema.safeParse({ rules: [] }).success).toBe(false);
  });
});
