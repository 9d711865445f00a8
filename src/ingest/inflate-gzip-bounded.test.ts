import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateGzipBounded } from './inflate-gzip-bounded.js';

describe('inflateGzipBounded', () => {
  it('inflates a body within the bound', async () => {
    const text = 'hello '.repeat(10_000);
    const out = await inflateGzipBounded(gzipSync(text), 60_000);
    expect(out.ok && Buffer.from(out.bytes).toString()).toBe(text);
  });

  it('stops a gzip bomb at the bound', async () => {
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(20_000);
    expect(await inflateGzipBounded(bomb, 1024 * 1024)).toMatchObject({ ok: false, reason: 'too_large' });
  });

  it('counts every inflated chunk with admit, and stops when admit refuses', async () => {
    let seen = 0;
    const body = gzipSync(Buffer.alloc(500_000, 7));
    expect(await inflateGzipBounded(body, 1e9, (n) => ((seen += n), true))).toMatchObject({ ok: true });
    expect(seen).toBe(500_000);
    expect(await inflateGzipBounded(body, 1e9, () => false)).toMatchObject({ ok: false, reason: 'refused' });
  });

  it('answers malformed for a body that is not gzip, or is cut short', async () => {
    expect(await inflateGzipBounded(Buffer.from('{"not":"gzip"}'), 1e6)).toMatchObject({ ok: false, reason: 'malformed' });
    const cut = gzipSync('x'.repeat(1000)).subarray(0, 12);
    expect(await inflateGzipBounded(cut, 1e6)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
