import { describe, expect, it } from 'vitest';
import { isBuiltInMetric, MetricSchema } from './metric.js';

describe('MetricSchema', () => {
  it('defaults the lifecycle to regression and keeps owner and failure class', () => {
    const metric = MetricSchema.parse({
      name: 'cites_policy',
      owner: 'product@example.com',
      failureClass: 'answer_quality',
      scorer: { type: 'contains', value: '{{expected.keyword}}' },
    });
    expect(metric).toMatchObject({ name: 'cites_policy', lifecycle: 'regression', owner: 'product@example.com' });
  });

  it('refuses names that are not lower snake_case, unknown classes and lifecycles', () => {
    const scorer = { type: 'is-json' };
    expect(MetricSchema.safeParse({ name: 'CitesPolicy', scorer }).success).toBe(false);
    expect(MetricSchema.safeParse({ name: '1st', scorer }).success).toBe(false);
    expect(MetricSchema.safeParse({ name: 'ok', failureClass: 'style', scorer }).success).toBe(false);
    expect(MetricSchema.safeParse({ name: 'ok', lifecycle: 'beta', scorer }).success).toBe(false);
    expect(MetricSchema.safeParse({ name: 'ok', scorer, weight: 2 }).success).toBe(false);
  });

  it('requires every pass label of a judge or human scorer to be one of its labels', () => {
    const judge = { type: 'judge', rubric: 'r', labels: ['poor', 'good'], pass: ['good', 'great'] };
    const parsed = MetricSchema.safeParse({ name: 'helpfulness', scorer: judge });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['scorer.pass.1', 'pass label "great" is not one of labels: poor, good'],
    ]);
    expect(MetricSchema.safeParse({ name: 'h', scorer: { type: 'human', labels: ['a', 'b'], pass: ['b'] } }).success).toBe(true);
  });
});

describe('isBuiltInMetric', () => {
  it('knows the run metrics and nothing else', () => {
    expect(isBuiltInMetric('cost_per_success')).toBe(true);
    expect(isBuiltInMetric('cites_policy')).toBe(false);
  });
});
