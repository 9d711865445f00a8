import { describe, expect, it } from 'vitest';
import { hmacSha256Hex, signWebhook, verifyWebhook } from './webhook-signature.js';

describe('webhook signatures', () => {
  const secret = 'whsec_test_secret_0123456789';
  const body = '{"id":"whd_1","type":"ping","data":{}}';
  const t = 1_700_000_000;

  it('computes HMAC-SHA256 as RFC 4231 test case 2 says', () => {
    expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('signs "<t>.<body>" and puts the timestamp in the header', () => {
    expect(signWebhook(secret, t, body)).toBe(`t=${t},v1=${hmacSha256Hex(secret, `${t}.${body}`)}`);
  });

  it('verifies its own signature, for a string body and for the raw bytes', () => {
    const header = signWebhook(secret, t, body);
    expect(verifyWebhook({ header, secret, body, nowSeconds: t + 10 })).toEqual({ ok: true });
    expect(verifyWebhook({ header, secret, body: Buffer.from(body), nowSeconds: t - 10 })).toEqual({ ok: true });
  });

  it('accepts a header with several v1 signatures when one matches (secret rotation)', () => {
    const other = signWebhook('whsec_the_old_secret_000', t, body).split(',')[1];
    const header = `${signWebhook(secret, t, body)},${other}`;
    expect(verifyWebhook({ header, secret, body, nowSeconds: t })).toEqual({ ok: true });
    expect(verifyWebhook({ header: `t=${t},${other},${signWebhook(secret, t, body).split(',')[1]}`, secret, body, nowSeconds: t })).toEqual({ ok: true });
  });

  it('rejects a tampered body', () => {
    const header = signWebhook(secret, t, body);
    expect(verifyWebhook({ header, secret, body: body.replace('ping', 'pong'), nowSeconds: t })).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('rejects the wrong secret', () => {
    const header = signWebhook(secret, t, body);
    expect(verifyWebhook({ header, secret: 'whsec_someone_else_000', body, nowSeconds: t })).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('rejects a moved timestamp (the signature covers it)', () => {
    const v1 = signWebhook(secret, t, body).split(',')[1];
    expect(verifyWebhook({ header: `t=${t + 1},${v1}`, secret, body, nowSeconds: t })).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('rejects a stale or future timestamp beyond the tolerance, and honours a custom tolerance', () => {
    const header = signWebhook(secret, t, body);
    expect(verifyWebhook({ header, secret, body, nowSeconds: t + 301 })).toMatchObject({ ok: false, reason: 'stale' });
    expect(verifyWebhook({ header, secret, body, nowSeconds: t - 301 })).toMatchObject({ ok: false, reason: 'stale' });
    expect(verifyWebhook({ header, secret, body, nowSeconds: t + 300 })).toEqual({ ok: true });
    expect(verifyWebhook({ header, secret, body, nowSeconds: t + 60, toleranceSeconds: 30 })).toMatchObject({ ok: false, reason: 'stale' });
  });

  it('rejects malformed headers', () => {
    const v1 = signWebhook(secret, t, body).split(',')[1] as string;
    for (const header of [undefined, null, '', 'garbage', `t=${t}`, v1, `t=abc,${v1}`, `t=${t},t=${t},${v1}`, `t=${t},v1=xyz`, `t=${t},v1=${'0'.repeat(63)}`, `t=${t},=x,${v1}`]) {
      expect(verifyWebhook({ header, secret, body, nowSeconds: t }), String(header)).toMatchObject({ ok: false, reason: 'malformed' });
    }
  });

  it('ignores schemes it does not know', () => {
    expect(verifyWebhook({ header: `${signWebhook(secret, t, body)},v0=abc`, secret, body, nowSeconds: t })).toEqual({ ok: true });
  });
});
