/**
 * Unknown or malformed conventions are visible: a span whose message attribute is not JSON is stored
 * (never refused) with its raw text and a mapping notice; a trace whose spans map to no input or
 * output gets a `mapping` notice naming the namespaces it saw — in the API, on the trace page
 * (Chromium) — and both are counted in /metrics. Real `evalops serve`, OTLP/JSON over HTTP.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../support/browser.js';
import { startStackHarness, type StackHarness } from '../support/stack-harness.js';

const MALFORMED = 'c1'.padEnd(32, '0');
const UNKNOWN = 'd2'.padEnd(32, '0');

const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
const ns = (ms: number) => String(BigInt(Math.round(ms)) * 1_000_000n);

describe('mapping notices', () => {
  let stack: StackHarness;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let otlpAnswer: { status: number; body: unknown };

  beforeAll(async () => {
    stack = await startStackHarness('notices');
    const now = Date.now() - 5_000;
    const spans = [
      {
        traceId: MALFORMED,
        spanId: 'c100000000000001',
        name: 'ai.generateText',
        startTimeUnixNano: ns(now),
        endTimeUnixNano: ns(now + 500),
        attributes: [attr('ai.operationId', 'ai.generateText'), attr('ai.prompt', '{"prompt": "Where is my parcel?'), attr('ai.response.text', 'It left the depot today.'), attr('ai.telemetry.metadata.sessionId', 's-9')],
      },
      { traceId: UNKNOWN, spanId: 'd200000000000001', name: 'handle', startTimeUnixNano: ns(now), endTimeUnixNano: ns(now + 400), attributes: [attr('foo.prompt', 'hi'), attr('http.route', '/chat')] },
      { traceId: UNKNOWN, spanId: 'd200000000000002', parentSpanId: 'd200000000000001', name: 'call', startTimeUnixNano: ns(now + 10), endTimeUnixNano: ns(now + 300), attributes: [attr('foo.answer', 'hello'), attr('ai.custom', 'x')] },
    ];
    const res = await fetch(`${stack.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.ingestKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ resourceSpans: [{ resource: { attributes: [attr('service.name', 'shop')] }, scopeSpans: [{ scope: { name: 'ai' }, spans }] }] }),
    });
    otlpAnswer = { status: res.status, body: await res.json() };
    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser));
  });
  afterAll(async () => {
    await browser?.close();
    stack?.stop();
  });

  it('stores the span with malformed JSON: raw text as input, the rest mapped, a notice on the span', async () => {
    expect(otlpAnswer).toEqual({ status: 200, body: {} });
    const trace = await stack.waitForTrace((t) => t.traceId === MALFORMED);
    const [root] = trace.spans;
    expect(root).toMatchObject({ kind: 'AGENT', input: '{"prompt": "Where is my parcel?', output: 'It left the depot today.', sessionId: 's-9' });
    expect(root!.mappingNotices).toEqual(['ai.prompt is not valid JSON; its text is kept as it is']);
    expect(trace.notices).toEqual([{ kind: 'mapping', spanId: 'c100000000000001', message: 'ai.prompt is not valid JSON; its text is kept as it is' }]);
  });

  it('gives a trace with no input/output recognised a notice naming the namespaces it saw', async () => {
    const trace = await stack.waitForTrace((t) => t.traceId === UNKNOWN, 2);
    expect(trace.notices).toEqual([{ kind: 'mapping', message: 'no input/output attributes recognised: saw ai.*, foo.*, http.*' }]);
    expect(trace.summary.kind).toBe('UNKNOWN');
  });

  it('counts both in /metrics', async () => {
    const metrics = await stack.metrics();
    expect(metrics).toMatch(/^evalops_spans_mapping_notices_total 1$/m);
    expect(metrics).toMatch(/^evalops_root_spans_without_io_total 1$/m);
  });

  it('shows the notice on the trace page', async () => {
    await page.goto(stack.url);
    await page.getByLabel('API key').fill(stack.ownerKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Traces' }).first().waitFor();
    await page.goto(`${stack.url}/p/${stack.project}/traces/${UNKNOWN}`);
    const note = page.getByRole('note', { name: 'Mapping notices' });
    await note.waitFor();
    expect(await note.getByRole('listitem').allTextContents()).toEqual(['no input/output attributes recognised: saw ai.*, foo.*, http.*']);
    await page.goto(`${stack.url}/p/${stack.project}/traces/${MALFORMED}`);
    await page.getByRole('note', { name: 'Mapping notices' }).getByText('ai.prompt is not valid JSON').waitFor();
    expect(await page.getByRole('note', { name: 'Mapping notices' }).getByRole('button').textContent()).toBe('ai.generateText');
    expect(errors).toEqual([]);
  });
});
