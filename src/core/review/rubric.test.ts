import { describe, expect, it } from 'vitest';
import { RubricSchema, rubricFromLabels } from './rubric.js';

describe('RubricSchema', () => {
  it('refuses a label listed twice and a pass label that is not a label', () => {
    const r = RubricSchema.safeParse({ labels: [{ label: 'ok' }, { label: 'ok' }], pass: ['great'] });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toEqual(['label "ok" is listed twice', 'pass label "great" is not one of the labels: ok, ok']);
  });
  it('needs two labels and one pass label', () => {
    expect(RubricSchema.safeParse({ labels: [{ label: 'only' }], pass: ['only'] }).success).toBe(false);
    expect(RubricSchema.safeParse({ labels: [{ label: 'a' }, { label: 'b' }], pass: [] }).success).toBe(false);
  });
});

describe('rubricFromLabels', () => {
  it('reads labels whose pass labels are the top block as ordinal', () => {
    expect(rubricFromLabels(['poor', 'adequate', 'excellent'], ['adequate', 'excellent']).ordinal).toBe(true);
  });
  it('reads other label sets, and two labels, as nominal', () => {
    expect(rubricFromLabels(['refund', 'billing', 'other'], ['billing']).ordinal).toBe(false);
    expect(rubricFromLabels(['wrong', 'right'], ['right']).ordinal).toBe(false);
  });
  it('keeps the definitions given', () => {
    expect(rubricFromLabels(['no', 'yes'], ['yes'], { yes: 'answers the question' }).labels).toEqual([{ label: 'no' }, { label: 'yes', definition: 'answers the question' }]);
  });
});
