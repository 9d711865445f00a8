import { createGunzip } from 'node:zlib';

/** A gzip body inflated, or why not: over the byte bound, refused by `admit`, or not valid gzip. */
export type InflateOutcome =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly reason: 'too_large' | 'refused' | 'malformed'; readonly message: string };

/**
 * Inflates a gzip body chunk by chunk and stops as soon as the output passes `maxBytes` (a 10 KB
 * bomb that would inflate to gigabytes costs at most `maxBytes` and the CPU to get there). `admit`
 * is told each inflated chunk's size before it is kept; answering false stops too — admission
 * control counts decompressed bytes this way.
 * @example await inflateGzipBounded(body, 1024 * 1024) // { ok: false, reason: 'too_large', … } for a bomb
 */
export function inflateGzipBounded(body: Uint8Array, maxBytes: number, admit?: (bytes: number) => boolean): Promise<InflateOutcome> {
  return new Promise((resolve) => {
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const settle = (outcome: InflateOutcome): void => {
      if (settled) return;
      settled = true;
      if (!outcome.ok) gunzip.destroy();
      resolve(outcome);
    };
    gunzip.on('data', (chunk: Buffer) => {
      if (settled) return;
      total += chunk.length;
      if (total > maxBytes) return settle({ ok: false, reason: 'too_large', message: `the decompressed body is larger than ${maxBytes} bytes` });
      if (admit && !admit(chunk.length)) return settle({ ok: false, reason: 'refused', message: 'too many request bytes are being decoded' });
      chunks.push(chunk);
    });
    gunzip.on('error', (e) => settle({ ok: false, reason: 'malformed', message: `malformed gzip body: ${e.message}` }));
    gunzip.on('end', () => settle({ ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) }));
    gunzip.end(body);
  });
}
