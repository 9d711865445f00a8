import { describe, expect, it } from 'vitest';
import { CustomRedactionRuleSchema, RedactionRuleSchema, RedactionRulesSchema, redactionRuleName } from './redaction-rule.js';

describe('redaction rule schemas', () => {
  it('accepts built-ins by name and custom rules with a valid pattern', () => {
    expect(RedactionRulesSchema.parse(['email', { name: 'ticket', pattern: 'T-\\d+', flags: 'i', replacement: 'T-?' }])).toHaveLength(2);
  });

  it('refuses an unknown built-in, a bad regex, bad flags, an empty-matching pattern, unknown fields and duplicate names', () => {
    expect(RedactionRuleSchema.safeParse('phone').success).toBe(false);
    expect(CustomRedactionRuleSchema.safeParse({ name: 'x', pattern: '(' }).error?.issues[0]?.message).toMatch(/invalid regular expression/);
    expect(CustomRedactionRuleSchema.safeParse({ name: 'x', pattern: 'a', flags: 'g' }).error?.issues[0]?.message).toMatch(/"g" is always on/);
    expect(CustomRedactionRuleSchema.safeParse({ name: 'x', pattern: 'a*' }).error?.issues[0]?.message).toMatch(/matches the empty string/);
    expect(CustomRedactionRuleSchema.safeParse({ name: 'x', pattern: 'a', extra: 1 }).success).toBe(false);
    expect(CustomRedactionRuleSchema.safeParse({ name: 'a b', pattern: 'a' }).success).toBe(false);
    expect(RedactionRulesSchema.safeParse(['email', { name: 'email', pattern: '@' }]).error?.issues[0]?.message).toBe('a second rule named "email"');
  });

  it('names a rule by its built-in name or its own name', () => {
    expect(redactionRuleName('api_key')).toBe('api_key');
    expect(redactionRuleName({ name: 'ticket', pattern: 'T' })).toBe('ticket');
  });
});
