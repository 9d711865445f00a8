import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../core/errors.js';
import type { Span } from '../core/span.js';
import { createRedactor } from './redact.js';

const span: Span = {
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  name: 'mail ana@example.com',
  kind: 'LLM',
  otelKind: 'client',
  startTimeMs: 1,
  endTimeMs: 2,
  durationMs: 1,
  status: 'error',
  statusMessage: 'failed for ana@example.com',
  model: 'gpt-4o',
  input: [{ role: 'user', content: 'I am ana@example.com', toolCalls: [{ name: 'f', arguments: { to: 'ana@example.com' } }] }],
  output: 'Sent to ana@example.com',
  toolCalls: [{ name: 'send', arguments: { to: 'ana@example.com', n: 1 } }],
  tool: { name: 'send', arguments: { to: 'ana@example.com' }, result: 'ok ana@example.com' },
  usage: { inputTokens: 1 },
  sessionId: 'sess-1',
  userId: 'ana@example.com',
  attributes: { 'input.value': 'ana@example.com', 'app.count': 3, nested: { list: ['ana@example.com', 2] } },
  resource: { 'service.name': 'svc', owner: 'ana@example.com' },
  events: [{ name: 'log', timeMs: 1, attributes: { message: 'to ana@example.com' } }],
};

describe('createRedactor', () => {
  it('redacts every free-text field of a span and leaves ids, names, model and numbers', () => {
    const out = createRedactor(['email']).redactSpan(span);
    const R = '[REDACTED:email]';
    expect(out).toEqual({
      ...span,
      statusMessage: `failed for ${R}`,
      input: [{ role: 'user', content: `I am ${R}`, toolCalls: [{ name: 'f', arguments: { to: R } }] }],
      output: `Sent to ${R}`,
      toolCalls: [{ name: 'send', arguments: { to: R, n: 1 } }],
      tool: { name: 'send', arguments: { to: R }, result: `ok ${R}` },
      userId: R,
      attributes: { 'input.value': R, 'app.count': 3, nested: { list: [R, 2] } },
      resource: { 'service.name': 'svc', owner: R },
      events: [{ name: 'log', timeMs: 1, attributes: { message: `to ${R}` } }],
    });
    expect(out.name).toBe('mail ana@example.com');
  });

  it('never changes the span it is given, and shares the parts that needed no change', () => {
    const before = JSON.stringify(span);
    const clean: Span = { ...span, attributes: { a: 'nothing secret here' } };
    const out = createRedactor(['email', 'api_key', 'credit_card']).redactSpan(clean);
    expect(JSON.stringify(span)).toBe(before);
    expect(out.attributes).toBe(clean.attributes);
  });

  it('applies custom rules with their replacement, flags and groups, after the built-ins, in order', () => {
    const redactor = createRedactor([
      'email',
      { name: 'ticket', pattern: 'ticket-(\\d+)', flags: 'i', replacement: 'ticket-#' },
      { name: 'word', pattern: 'secret' },
    ]);
    expect(redactor.ruleNames).toEqual(['email', 'ticket', 'word']);
    expect(redactor.redactText('TICKET-123 for a@b.io is secret, ticket-9 too')).toBe('ticket-# for [REDACTED:email] is [REDACTED:word], ticket-# too');
  });

  it('returns the span itself when there are no rules', () => {
    const redactor = createRedactor([]);
    expect(redactor.redactSpan(span)).toBe(span);
    expect(redactor.redactText('ana@example.com')).toBe('ana@example.com');
  });

  it('keeps a "__proto__" attribute as data when redacting it', () => {
    const attributes = JSON.parse('{"__proto__": "ana@example.com"}') as Span['attributes'];
    const out = createRedactor(['email']).redactSpan({ ...span, attributes });
    expect(Object.getPrototypeOf(out.attributes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out.attributes, '__proto__')?.value).toBe('[REDACTED:email]');
  });

  it('throws a config error naming the rule for a bad regex, an unknown built-in, an unknown field or a duplicate', () => {
    const errorOf = (rules: unknown[]) => {
      try {
        createRedactor(rules, 'server.redact');
      } catch (e) {
        if (e instanceof EvalOpsError) return { code: e.code, location: e.location, message: e.message };
        throw e;
      }
      throw new Error('expected a config error');
    };
    expect(errorOf(['email', { name: 'x', pattern: '([a-z' }])).toMatchObject({
      code: 'config',
      location: 'server.redact.1.pattern',
      message: expect.stringMatching(/^invalid regular expression/),
    });
    expect(errorOf(['phone'])).toMatchObject({ location: 'server.redact.0', message: expect.stringMatching(/unknown redaction rule "phone"/) });
    expect(errorOf([{ name: 'x', pattern: 'a', regex: 'b' }])).toMatchObject({ message: expect.stringMatching(/unknown field "regex"/) });
    expect(errorOf(['email', 'email'])).toMatchObject({ location: 'server.redact.1', message: 'a second redaction rule named "email"' });
    expect(errorOf([42])).toMatchObject({ code: 'config', location: 'server.redact.0' });
  });
});
