import { describe, expect, it } from 'vitest';
import { checkOverrideRequest, isHttpUrl } from './override-decision.js';

describe('checkOverrideRequest', () => {
  const ok = { reason: 'hotfix ships behind a flag', evidence: 'https://tickets.example.com/7' };

  it('accepts a reason of 10+ characters with an http(s) evidence link', () => {
    expect(() => checkOverrideRequest(ok)).not.toThrow();
    expect(() => checkOverrideRequest({ ...ok, outcome: 'narrow', rolloutPercent: 10 })).not.toThrow();
  });

  it('refuses a short reason, a link that is not http(s), and a narrow override without a percentage, naming the flag', () => {
    expect(() => checkOverrideRequest({ ...ok, reason: '  because  ' })).toThrow(/--reason must say why in at least 10 characters/);
    expect(() => checkOverrideRequest({ ...ok, evidence: 'ftp://files.example.com/x' })).toThrow(/--evidence must be an http\(s\) URL/);
    expect(() => checkOverrideRequest({ ...ok, outcome: 'narrow' })).toThrow(/needs --percent 1\.\.99/);
    expect(() => checkOverrideRequest({ ...ok, outcome: 'narrow', rolloutPercent: 100 })).toThrow(/needs --percent 1\.\.99/);
  });
});

describe('isHttpUrl', () => {
  it('is true for http and https URLs only', () => {
    expect(['http://a.example', 'https://a.example/x?y=1'].map(isHttpUrl)).toEqual([true, true]);
    expect(['trust me', 'javascript:alert(1)', 'mailto:a@example.com', ''].map(isHttpUrl)).toEqual([false, false, false, false]);
  });
});
