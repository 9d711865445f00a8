import { EvalOpsError } from '../core/errors.js';

const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/**
 * Reads a response body as UTF-8 text, refusing (non-retryable `target` error) past `maxBytes`, so a
 * runaway endpoint cannot exhaust memory.
 * @example const text = await readResponseText(await fetch(url))
 */
export async function readResponseText(response: Response, maxBytes: number = MAX_RESPONSE_BYTES): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let bytes = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new EvalOpsError('target', `response larger than ${maxBytes} bytes`, { details: { maxBytes } });
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}
