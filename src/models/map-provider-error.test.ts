import { APICallError, LoadAPIKeyError } from 'ai';
import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../core/errors.js';
import { mapProviderError, retryAfterFrom } from './map-provider-error.js';

const apiError = (statusCode: number | undefined, headers?: Record<string, string>, isRetryable = false) =>
  new APICallError({ message: 'upstream said no', url: 'http://x/v1/chat/completions', requestBodyValues: {}, statusCode, responseHeaders: headers, isRetryable });

describe('mapProviderError', () => {
  it.each([408, 429, 500, 502, 503])('marks HTTP %i retryable', (status) => {
    const e = mapProviderError(apiError(status), 'openai:gpt');
    expect(e).toMatchObject({ code: 'provider', retryable: true, details: { status } });
    expect(e.message).toBe(`openai:gpt: HTTP ${status}: upstream said no`);
  });

  it.each([400, 401, 403, 404, 422])('marks HTTP %i not retryable', (status) => {
    expect(mapProviderError(apiError(status), 'm:x')).toMatchObject({ code: 'provider', retryable: false, details: { status } });
  });

  it('reads Retry-After seconds, and prefers retry-after-ms', () => {
    expect(mapProviderError(apiError(429, { 'retry-after': '4' }), 'm:x').details).toEqual({ status: 429, retryAfterMs: 4000 });
    expect(mapProviderError(apiError(429, { 'retry-after': '4', 'retry-after-ms': '250' }), 'm:x').details).toEqual({ status: 429, retryAfterMs: 250 });
  });

  it('ignores Retry-After on errors that are not retried', () => {
    expect(mapProviderError(apiError(400, { 'retry-after': '4' }), 'm:x').details).toEqual({ status: 400 });
  });

  it('keeps the SDK retryable flag for failures without a status (network)', () => {
    expect(mapProviderError(apiError(undefined, undefined, true), 'm:x')).toMatchObject({ retryable: true, details: {} });
  });

  it('maps timeouts to retryable and aborts to not retryable', () => {
    expect(mapProviderError(new DOMException('t', 'TimeoutError'), 'm:x')).toMatchObject({ retryable: true });
    expect(mapProviderError(new DOMException('a', 'AbortError'), 'm:x')).toMatchObject({ retryable: false, message: 'm:x: request aborted' });
  });

  it('maps a missing API key to a config error', () => {
    expect(mapProviderError(new LoadAPIKeyError({ message: 'no key' }), 'm:x').code).toBe('config');
  });

  it('passes EvalOpsError through and wraps anything else as a non-retryable provider error', () => {
    const own = new EvalOpsError('config', 'x');
    expect(mapProviderError(own, 'm:x')).toBe(own);
    expect(mapProviderError('weird', 'm:x')).toMatchObject({ code: 'provider', retryable: false, message: 'm:x: weird' });
  });
});

describe('retryAfterFrom', () => {
  it('handles missing, date and garbage headers', () => {
    expect(retryAfterFrom(undefined)).toBeUndefined();
    expect(retryAfterFrom({ 'Retry-After': '2' })).toBe(2000);
    expect(retryAfterFrom({ 'retry-after': 'soon' })).toBeUndefined();
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    expect(retryAfterFrom({ 'retry-after': inAMinute })).toBeGreaterThan(50_000);
  });
});
