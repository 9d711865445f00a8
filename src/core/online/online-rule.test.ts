import { describe, expect, it } from 'vitest';
import { OnlineRuleSpecSchema, RequestOnlineRuleSpecSchema, sessionSettings } from './online-rule.js';
import { DEFAULT_SESSION_FLAGS } from './session-flags.js';
import { DEFAULT_FLAGS } from './trace-flags.js';

const polite = { name: 'polite', scorer: { type: 'contains', value: 'please' } };
const grounded = { name: 'grounded', scorer: { type: 'judge', rubric: 'Is the answer grounded in the sources?', labels: ['no', 'partly', 'yes'], pass: ['yes'] } };

/** The messages of a failed parse, by path. */
function issues(input: unknown): { path: string; message: string }[] {
  const parsed = OnlineRuleSpecSchema.safeParse(input);
  expect(parsed.success).toBe(false);
  return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('OnlineRuleSpecSchema', () => {
  it('fills in the defaults: 10% sample, 10 s settle, the default flags, no filter, no cohorts', () => {
    const rule = OnlineRuleSpecSchema.parse({ name: 'support-bot', metrics: [polite] });
    expect(rule.sampleRate).toBe(0.1);
    expect(rule.settleSeconds).toBe(10);
    expect(rule.flags).toEqual(DEFAULT_FLAGS);
    expect(rule.filter).toEqual({});
    expect(rule.cohortAttributes).toEqual([]);
    expect(rule.metrics[0]?.lifecycle).toBe('regression'); // the metric's own default applies
  });

  it('keeps given values over the defaults', () => {
    const rule = OnlineRuleSpecSchema.parse({ name: 'r', metrics: [polite, grounded], sampleRate: 1, settleSeconds: 60, flags: [{ kind: 'error' }], filter: { releases: ['v2'], feedback: 'negative' } });
    expect(rule.sampleRate).toBe(1);
    expect(rule.settleSeconds).toBe(60);
    expect(rule.flags).toEqual([{ kind: 'error' }]);
    expect(rule.filter).toEqual({ releases: ['v2'], feedback: 'negative' });
  });

  it('refuses a human scorer, saying why, at the scorer type', () => {
    const human = { name: 'reviewed', scorer: { type: 'human', labels: ['bad', 'good'], pass: ['good'] } };
    const found = issues({ name: 'r', metrics: [polite, human] });
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toBe('metrics.1.scorer.type');
    expect(found[0]?.message).toMatch(/human scorer cannot run online/);
  });

  it('refuses two metrics of the same name, naming it', () => {
    const found = issues({ name: 'r', metrics: [polite, grounded, { ...polite, scorer: { type: 'icontains', value: 'thanks' } }] });
    expect(found).toEqual([{ path: 'metrics.2.name', message: 'duplicate metric name "polite"' }]);
  });

  it('refuses a rule without metrics', () => {
    expect(issues({ name: 'r', metrics: [] })[0]?.message).toBe('an online rule needs at least one metric');
    expect(issues({ name: 'r' })[0]?.path).toBe('metrics');
  });

  it('accepts names of letters, digits, ".", "_" and "-" starting with a letter or digit, and refuses others', () => {
    for (const name of ['r', 'support-bot_v2.1', '9lives']) expect(OnlineRuleSpecSchema.safeParse({ name, metrics: [polite] }).success).toBe(true);
    for (const name of ['', '-leading-dash', '.hidden', 'has space', 'slash/name', 'a'.repeat(65)]) {
      expect(issues({ name, metrics: [polite] })[0]?.path).toBe('name');
    }
    expect(issues({ name: 'has space', metrics: [polite] })[0]?.message).toMatch(/letters, digits/);
  });

  it('refuses unknown fields, at the top and in the filter', () => {
    expect(issues({ name: 'r', metrics: [polite], sampleRatio: 0.2 })[0]?.message).toMatch(/sampleRatio/);
    expect(issues({ name: 'r', metrics: [polite], filter: { release: 'v2' } })[0]?.path).toBe('filter');
  });

  it('takes a sample rate in [0, 1] only', () => {
    expect(OnlineRuleSpecSchema.safeParse({ name: 'r', metrics: [polite], sampleRate: 0 }).success).toBe(true);
    expect(OnlineRuleSpecSchema.safeParse({ name: 'r', metrics: [polite], sampleRate: 1 }).success).toBe(true);
    expect(issues({ name: 'r', metrics: [polite], sampleRate: 1.01 })[0]?.path).toBe('sampleRate');
    expect(issues({ name: 'r', metrics: [polite], sampleRate: -0.1 })[0]?.path).toBe('sampleRate');
  });

  it('refuses a settle time under a second or not whole', () => {
    expect(issues({ name: 'r', metrics: [polite], settleSeconds: 0 })[0]?.path).toBe('settleSeconds');
    expect(issues({ name: 'r', metrics: [polite], settleSeconds: 1.5 })[0]?.path).toBe('settleSeconds');
  });
});

describe('RequestOnlineRuleSpecSchema (a rule in a request)', () => {
  const refused = (scorer: unknown): { path: string; message: string }[] => {
    const parsed = RequestOnlineRuleSpecSchema.safeParse({ name: 'r', metrics: [polite, { name: 'x', scorer }] });
    expect(parsed.success).toBe(false);
    return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  };

  it('refuses every scorer parameter that names a file, naming the field', () => {
    expect(refused({ type: 'function', path: '/etc/passwd' })).toEqual([{ path: 'metrics.1.scorer.path', message: expect.stringContaining('registered by the operator') }]);
    expect(refused({ type: 'json-schema', schema: '/etc/passwd' })[0]?.path).toBe('metrics.1.scorer.schema');
    expect(refused({ type: 'tool-args', name: 'refund', schema: './args.json' })[0]?.path).toBe('metrics.1.scorer.schema');
    expect(refused({ type: 'judge', rubric: '../../etc/passwd', labels: ['no', 'yes'], pass: ['yes'] })[0]?.path).toBe('metrics.1.scorer.rubric');
    expect(refused({ type: 'judge', rubric: 'notes.md', labels: ['no', 'yes'], pass: ['yes'] })[0]?.path).toBe('metrics.1.scorer.rubric');
  });

  it('takes declarative scorers, inline schemas and rubrics, and registered scorers by name', () => {
    const ok = RequestOnlineRuleSpecSchema.safeParse({
      name: 'r',
      metrics: [
        grounded,
        { name: 'shape', scorer: { type: 'json-schema', schema: { type: 'object' } } },
        { name: 'args', scorer: { type: 'tool-args', name: 'refund', schema: { type: 'object' } } },
        { name: 'mine', scorer: { type: 'function', name: 'my_check' } },
      ],
    });
    expect(ok.error).toBeUndefined();
  });

  it('refuses a function scorer with both or neither of path and name, and a name that could be a path', () => {
    expect(issues({ name: 'r', metrics: [{ name: 'x', scorer: { type: 'function' } }] })[0]?.path).toBe('metrics.0.scorer.path');
    expect(issues({ name: 'r', metrics: [{ name: 'x', scorer: { type: 'function', path: 'a.ts', name: 'a' } }] })[0]?.path).toBe('metrics.0.scorer.name');
    expect(issues({ name: 'r', metrics: [{ name: 'x', scorer: { type: 'function', name: '../etc/passwd' } }] })[0]?.path).toBe('metrics.0.scorer.name');
    expect(issues({ name: 'r', metrics: [{ name: 'x', scorer: { type: 'function', name: 'a', export: 'b' } }] })[0]?.path).toBe('metrics.0.scorer.export');
  });
});

describe('OnlineRuleSpecSchema › target sessions', () => {
  const base = { name: 'conv', metrics: [{ name: 'm', scorer: { type: 'contains', value: 'x' } }] };
  it('defaults to traces, and takes session settings only with target: sessions', () => {
    expect(OnlineRuleSpecSchema.parse(base).target).toBe('traces');
    const spec = OnlineRuleSpecSchema.parse({ ...base, target: 'sessions' });
    expect(sessionSettings(spec)).toEqual({ idleSeconds: 900, flags: DEFAULT_SESSION_FLAGS });
    const bad = OnlineRuleSpecSchema.safeParse({ ...base, session: { idleSeconds: 60 } });
    expect(bad.error?.issues[0]).toMatchObject({ path: ['session'], message: 'session settings need target: sessions' });
    expect(OnlineRuleSpecSchema.safeParse({ ...base, target: 'sessions', session: { idleSeconds: 0 } }).success).toBe(false);
  });
});
