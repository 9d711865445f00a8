import { describe, expect, it } from 'vitest';
import { CustomRedactionRuleSchema, DEFAULT_REDACTIONS, RedactionRuleSchema, RedactionRulesSchema, redactionRuleName, redactionRulesFromList } from './redaction-rule.js';

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

describe('redactionRulesFromList (evalops serve --redact)', () => {
  it('gives the defaults (keys, private keys, cards; not e-mail) when nothing is said', () => {
    expect(DEFAULT_REDACTIONS).toEqual(['api_key', 'private_key', 'credit_card']);
    expect(redactionRulesFromList(undefined)).toEqual(['api_key', 'private_key', 'credit_card']);
    expect(redactionRulesFromList(' ')).toEqual(['api_key', 'private_key', 'credit_card']);
  });

  it('adds listed rules to the defaults, without repeats; "default" names them', () => {
    expect(redactionRulesFromList('email')).toEqual(['api_key', 'private_key', 'credit_card', 'email']);
    expect(redactionRulesFromList('email, api_key,credit_card')).toEqual(['api_key', 'private_key', 'credit_card', 'email']);
    expect(redactionRulesFromList('default,email')).toEqual(['api_key', 'private_key', 'credit_card', 'email']);
  });

  it('turns redaction off with none, or gives exactly the other names listed with it', () => {
    expect(redactionRulesFromList('none')).toEqual([]);
    expect(redactionRulesFromList('none,email')).toEqual(['email']);
  });
});
