import { describe, expect, it } from 'vitest';
import { BUILTIN_REDACTION_FACTORIES, luhnValid } from './redaction-builtins.js';

const redact = (name: keyof typeof BUILTIN_REDACTION_FACTORIES, text: string) => {
  const rule = BUILTIN_REDACTION_FACTORIES[name]();
  return rule.applies(text) ? rule.redact(text) : text;
};

describe('luhnValid', () => {
  it('accepts card numbers and refuses near misses and non-digits', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('5500005555555559')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('41111111111111a1')).toBe(false);
    expect(luhnValid('')).toBe(false);
  });
});

describe('built-in redactions', () => {
  it('email: replaces addresses, leaves handles and at-signs that are not addresses', () => {
    expect(redact('email', 'mail ana.b+tag@mail.example.co.uk or bob@example.com.')).toBe('mail [REDACTED:email] or [REDACTED:email].');
    expect(redact('email', 'ping @ana at 5 @ 6pm, or foo@localhost')).toBe('ping @ana at 5 @ 6pm, or foo@localhost');
  });

  it('email: stays fast on a long run without an address', () => {
    const text = `${'a'.repeat(200_000)}@${'b'.repeat(200_000)}`;
    expect(redact('email', text)).toBe(text);
  });

  it('api_key: replaces OpenAI, Anthropic, AWS, GitHub, Slack, Google keys, JWTs and bearer tokens', () => {
    const samples = [
      'sk-proj-abcdefghijklmnopqrstuvwxyz0123',
      'sk-ant-api03-abcdefghijklmnopqrstuvwxyz',
      'AKIAIOSFODNN7EXAMPLE',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'github_pat_11ABCDEFG0123456789_abcdefghij',
      'xoxb-1234567890-abcdefghij',
      'AIzaSyA-abcdefghijklmnopqrstuvwxyz01234',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
      'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
      'rk_live_51H8abcdefghijklmnop',
      'eo_k3v9qa2m_4JrXnV0eb3Q9zYtq0bOeJpRk7hx2s8L_w-1fT6uGm0E',
    ];
    for (const key of samples) expect(redact('api_key', `key=${key};`)).toBe('key=[REDACTED:api_key];');
    expect(redact('api_key', 'Authorization: Bearer abc123def456ghi789')).toBe('Authorization: Bearer [REDACTED:api_key]');
  });

  it('api_key: leaves key-like words that are not keys: a short sk_test_, an eo_ prefix alone, pk_live_ (publishable)', () => {
    const text = 'sk_test_short, eo_k3v9qa2m (a key prefix), pk_live_4eC39HqLyjWDarjtT1zdp7dc, geo_region, video_id';
    expect(redact('api_key', text)).toBe(text);
  });

  it('private_key: replaces PEM private key blocks, and a truncated one from its header, and leaves certificates and public keys', () => {
    const rsa = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1L\nVTLw7onLRnrq0/IzW7y=\n-----END RSA PRIVATE KEY-----';
    const pkcs8 = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----';
    const openssh = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';
    expect(redact('private_key', `key: ${rsa} and ${pkcs8}; ${openssh}.`)).toBe('key: [REDACTED:private_key] and [REDACTED:private_key]; [REDACTED:private_key].');
    expect(redact('private_key', 'cut: -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk\n')).toBe('cut: [REDACTED:private_key]');
    const pub = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY----- and -----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    expect(redact('private_key', pub)).toBe(pub);
  });

  it('private_key: stays fast on many headers without a footer', () => {
    const text = '-----BEGIN PRIVATE KEY-----!'.repeat(5_000);
    expect(redact('private_key', text)).not.toContain('-----BEGIN PRIVATE KEY-----');
  });

  it('api_key: leaves look-alikes in prose alone', () => {
    const prose = 'the task-force met; the bearer instrument is fine; sk-short; AKIA is a prefix; a desk-lamp';
    expect(redact('api_key', prose)).toBe(prose);
  });

  it('credit_card: replaces Luhn-valid 13–19 digit numbers, grouped or not, and leaves other numbers', () => {
    expect(redact('credit_card', 'card 4111 1111 1111 1111 exp 12/29')).toBe('card [REDACTED:credit_card] exp 12/29');
    expect(redact('credit_card', 'card 4111-1111-1111-1111.')).toBe('card [REDACTED:credit_card].');
    expect(redact('credit_card', 'amex 378282246310005')).toBe('amex [REDACTED:credit_card]');
    expect(redact('credit_card', 'order 4111111111111112 at 1750000000123')).toBe('order 4111111111111112 at 1750000000123');
    expect(redact('credit_card', 'a 25-digit run 4111111111111111000000000')).toBe('a 25-digit run 4111111111111111000000000');
    expect(redact('credit_card', 'mastercard 5500 0055 5555 5559, discover 6011111111111117')).toBe('mastercard [REDACTED:credit_card], discover [REDACTED:credit_card]');
  });

  it('credit_card: leaves numeric ids alone: Luhn-valid numbers that do not start like a card, 32-digit trace ids, epoch times', () => {
    // 1234567812345670 and 7992739871300 pass the Luhn check but no card number starts with 1 or 7.
    expect(luhnValid('1234567812345670')).toBe(true);
    expect(luhnValid('7992739871300')).toBe(true);
    const ids = 'user 1234567812345670, ticket 7992739871300, trace 00000000000000004111111111111111, at 1750000000123';
    expect(redact('credit_card', ids)).toBe(ids);
  });
});
