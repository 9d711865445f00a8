import { describe, expect, it } from 'vitest';
import type { JudgeVerdict } from './review-item.js';
import { rubricFromLabels } from './rubric.js';
import { routeReason } from './routing-rule.js';

const rubric = rubricFromLabels(['poor', 'weak', 'adequate', 'excellent'], ['adequate', 'excellent']);
const judge = (label: string | null, pass: boolean | null, status = 'scored'): JudgeVerdict => ({ status, label, pass, reason: null, version: 'v1' });

describe('routeReason', () => {
  it('routes a failed judge score as low', () => {
    expect(routeReason({ judge: judge('poor', false), checks: {} }, ['low'], rubric)).toBe('low');
    expect(routeReason({ judge: judge('poor', false), checks: {} }, ['borderline'], rubric)).toBeNull();
  });
  it('routes a label next to the pass boundary as borderline, on either side', () => {
    expect(routeReason({ judge: judge('weak', false), checks: {} }, ['borderline'], rubric)).toBe('borderline');
    expect(routeReason({ judge: judge('adequate', true), checks: {} }, ['borderline'], rubric)).toBe('borderline');
    expect(routeReason({ judge: judge('excellent', true), checks: {} }, ['borderline'], rubric)).toBeNull();
  });
  it('routes a judge pass with a failed code check, and a judge fail with all checks passing, as disagreement', () => {
    expect(routeReason({ judge: judge('excellent', true), checks: { cites: false, tool: true } }, ['disagreement'], rubric)).toBe('disagreement');
    expect(routeReason({ judge: judge('poor', false), checks: { cites: true } }, ['disagreement'], rubric)).toBe('disagreement');
    expect(routeReason({ judge: judge('excellent', true), checks: { cites: true } }, ['disagreement'], rubric)).toBeNull();
    expect(routeReason({ judge: judge('excellent', true), checks: {} }, ['disagreement'], rubric)).toBeNull();
  });
  it('routes an errored judge only under the errored rule, and never a skipped one', () => {
    expect(routeReason({ judge: judge(null, null, 'errored'), checks: {} }, ['low', 'errored'], rubric)).toBe('errored');
    expect(routeReason({ judge: judge(null, null, 'errored'), checks: {} }, ['low'], rubric)).toBeNull();
    expect(routeReason({ judge: judge(null, null, 'skipped'), checks: {} }, ['low', 'errored', 'borderline'], rubric)).toBeNull();
    expect(routeReason({ judge: null, checks: {} }, ['low'], rubric)).toBeNull();
  });
  it('gives the first matching reason: low before disagreement', () => {
    expect(routeReason({ judge: judge('poor', false), checks: { cites: true } }, ['disagreement', 'low'], rubric)).toBe('low');
  });
});
