import { describe, expect, it } from 'vitest';
import { bearerToken } from './bearer-token.js';

describe('bearerToken', () => {
  it('takes the token of a Bearer header, whatever the scheme case', () => {
    expect(bearerToken('Bearer eo_abc')).toBe('eo_abc');
    expect(bearerToken('bearer eo_abc')).toBe('eo_abc');
    expect(bearerToken('BEARER  eo_abc ')).toBe('eo_abc');
  });

  it('gives nothing for a missing header, another scheme, or no token', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken(null)).toBeUndefined();
    expect(bearerToken('')).toBeUndefined();
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken('eo_abc')).toBeUndefined();
  });
});
