import { describe, expect, it } from 'vitest';
import { displayKey, generateApiKey, hashApiKey, isKeyPrefix, parseApiKey, verifyApiKey } from './api-key.js';

describe('generateApiKey', () => {
  it('makes eo_<8-character prefix>_<43-character base64url secret>', () => {
    const { prefix, key } = generateApiKey();
    expect(key).toMatch(/^eo_[a-z2-7]{8}_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(`eo_${prefix}_`)).toBe(true);
    expect(Buffer.from(key.slice(12), 'base64url').length).toBe(32);
  });

  it('never repeats a key or, in practice, a prefix', () => {
    const keys = Array.from({ length: 2000 }, () => generateApiKey());
    expect(new Set(keys.map((k) => k.key)).size).toBe(2000);
    expect(new Set(keys.map((k) => k.prefix)).size).toBe(2000);
  });

  it('uses the whole prefix alphabet', () => {
    const seen = new Set(Array.from({ length: 500 }, () => generateApiKey().prefix).join(''));
    expect(seen.size).toBe(32);
  });
});

describe('parseApiKey', () => {
  it('reads a generated key back', () => {
    const { prefix, key } = generateApiKey();
    expect(parseApiKey(key)).toEqual({ prefix, key });
  });

  it('accepts underscores and dashes inside the secret', () => {
    const key = `eo_abcdefgh_${'_-'.repeat(21)}a`;
    expect(parseApiKey(key)?.prefix).toBe('abcdefgh');
  });

  it.each([
    ['empty', ''],
    ['another scheme', 'sk_abcdefgh_' + 'a'.repeat(43)],
    ['a short secret', 'eo_abcdefgh_' + 'a'.repeat(42)],
    ['a long secret', 'eo_abcdefgh_' + 'a'.repeat(44)],
    ['a short prefix', 'eo_abcdefg_' + 'a'.repeat(43)],
    ['an upper-case prefix', 'eo_ABCDEFGH_' + 'a'.repeat(43)],
    ['a prefix with 0, 1, 8 or 9', 'eo_abcdef01_' + 'a'.repeat(43)],
    ['padding in the secret', 'eo_abcdefgh_' + 'a'.repeat(42) + '='],
    ['whitespace around it', ' eo_abcdefgh_' + 'a'.repeat(43)],
    ['a newline after it', 'eo_abcdefgh_' + 'a'.repeat(43) + '\n'],
    ['only the display form', 'eo_abcdefgh'],
  ])('refuses %s', (_, text) => {
    expect(parseApiKey(text)).toBeUndefined();
  });
});

describe('hashApiKey and verifyApiKey', () => {
  it('hashes to 64 hex characters that do not contain the secret', () => {
    const { key } = generateApiKey();
    const hash = hashApiKey(key);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(key.slice(12));
    expect(hashApiKey(key)).toBe(hash);
  });

  it('verifies the key it was made from and nothing else', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    const hash = hashApiKey(a.key);
    expect(verifyApiKey(a.key, hash)).toBe(true);
    expect(verifyApiKey(b.key, hash)).toBe(false);
    const flipped = a.key.slice(0, -1) + (a.key.endsWith('A') ? 'B' : 'A');
    expect(verifyApiKey(flipped, hash)).toBe(false);
  });

  it('binds the secret to its prefix', () => {
    const a = generateApiKey();
    const secret = a.key.slice(12);
    const otherPrefix = a.prefix === 'aaaaaaaa' ? 'bbbbbbbb' : 'aaaaaaaa';
    expect(verifyApiKey(`eo_${otherPrefix}_${secret}`, hashApiKey(a.key))).toBe(false);
  });

  it('never matches a malformed stored hash', () => {
    const { key } = generateApiKey();
    expect(verifyApiKey(key, '')).toBe(false);
    expect(verifyApiKey(key, 'zz')).toBe(false);
    expect(verifyApiKey(key, hashApiKey(key).slice(0, 62))).toBe(false);
  });
});

describe('isKeyPrefix and displayKey', () => {
  it('tells a prefix from other text', () => {
    expect(isKeyPrefix(generateApiKey().prefix)).toBe(true);
    expect(isKeyPrefix('abcdefg')).toBe(false);
    expect(isKeyPrefix('key_abcdefgh')).toBe(false);
  });

  it('shows a key by its prefix only', () => {
    expect(displayKey('abcdefgh')).toBe('eo_abcdefgh');
  });
});
