import { EvalOpsError } from '../core/errors.js';
import type { Span, SpanIo } from '../core/span.js';
import { BUILTIN_REDACTION_FACTORIES, type CompiledRedaction } from './redaction-builtins.js';
import {
  BuiltinRedactionSchema,
  CustomRedactionRuleSchema,
  type CustomRedactionRule,
  type RedactionRule,
} from './redaction-rule.js';

/** Applies redaction rules to text and to whole spans; pure (a span is copied, never changed). */
export interface Redactor {
  /** The names of the rules, in the order they are applied. */
  readonly ruleNames: readonly string[];
  redactText(text: string): string;
  /**
   * A copy of the span with every rule applied to its free text: input and output (messages and
   * their tool-call arguments), tool calls, the tool's arguments and result, the status message,
   * session and user ids, and every string inside span, resource and event attributes. Ids, times,
   * names, model and service fields are left as they are. Returns the same object when there are no
   * rules.
   */
  redactSpan(span: Span): Span;
}

/**
 * Validates and compiles redaction rules once. Built-ins: `email`, `api_key` (OpenAI/Anthropic `sk-…`,
 * Stripe `sk_live_…`/`sk_test_…`, EvalOps `eo_…`, AWS `AKIA…`, GitHub `ghp_…`, Slack, Google, JWTs,
 * bearer tokens), `private_key` (PEM private key blocks), `credit_card` (Luhn-checked 13–19 digits). Custom rules are regular expressions (always global). A bad rule throws a `config`
 * EvalOpsError naming it (`location` `redact.N.field`).
 * @example createRedactor(['email']).redactText('write to ana@example.com') // 'write to [REDACTED:email]'
 */
export function createRedactor(rules: readonly unknown[], where = 'redact'): Redactor {
  const compiled = rules.map((rule, index) => compile(validate(rule, `${where}.${index}`)));
  const names = compiled.map((c) => c.name);
  const seen = new Set<string>();
  names.forEach((name, index) => {
    if (seen.has(name)) throw new EvalOpsError('config', `a second redaction rule named "${name}"`, { location: `${where}.${index}` });
    seen.add(name);
  });
  const minLength = Math.min(...compiled.map((c) => c.minLength));

  const redactText = (text: string): string => {
    if (text.length < minLength) return text;
    let out = text;
    for (const rule of compiled) {
      if (out.length >= rule.minLength && rule.applies(out)) out = rule.redact(out);
    }
    return out;
  };
  const redactJson = <T>(value: T): T => redactValue(value, redactText) as T;

  const redactSpan = (span: Span): Span => {
    if (compiled.length === 0) return span;
    const out: Span = {
      ...span,
      toolCalls: redactJson(span.toolCalls),
      attributes: redactJson(span.attributes),
      resource: redactJson(span.resource),
      events: redactJson(span.events),
    };
    if (span.input !== undefined) out.input = redactJson<SpanIo>(span.input);
    if (span.output !== undefined) out.output = redactJson<SpanIo>(span.output);
    if (span.tool !== undefined) out.tool = redactJson(span.tool);
    if (span.statusMessage !== undefined) out.statusMessage = redactText(span.statusMessage);
    if (span.sessionId !== undefined) out.sessionId = redactText(span.sessionId);
    if (span.userId !== undefined) out.userId = redactText(span.userId);
    return out;
  };
  return { ruleNames: names, redactText, redactSpan };
}

function validate(rule: unknown, location: string): RedactionRule {
  const parsed = typeof rule === 'string' ? BuiltinRedactionSchema.safeParse(rule) : CustomRedactionRuleSchema.safeParse(rule);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.length ? `${location}.${issue.path.join('.')}` : location;
  const message =
    typeof rule === 'string'
      ? `unknown redaction rule ${JSON.stringify(rule)}; built-ins are email, api_key, private_key, credit_card (or none), or give { name, pattern }`
      : issue?.code === 'unrecognized_keys'
        ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}; a custom rule has name, pattern, flags, replacement`
        : (issue?.message ?? 'invalid redaction rule');
  throw new EvalOpsError('config', message, { location: path });
}

function compile(rule: RedactionRule): CompiledRedaction {
  if (typeof rule === 'string') return BUILTIN_REDACTION_FACTORIES[rule]();
  return compileCustom(rule);
}

function compileCustom(rule: CustomRedactionRule): CompiledRedaction {
  const pattern = new RegExp(rule.pattern, `g${rule.flags ?? ''}`);
  const replacement = rule.replacement ?? `[REDACTED:${rule.name}]`;
  return {
    name: rule.name,
    minLength: 1,
    applies: () => true,
    redact: (text) => text.replace(pattern, replacement),
  };
}

/** Redacts every string inside a JSON-like value; unchanged parts keep their identity (no copies). */
function redactValue(value: unknown, redactText: (text: string) => string): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const redacted = redactValue(item, redactText);
      if (redacted !== item) {
        copy ??= value.slice();
        copy[i] = redacted;
      }
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key in record) {
    const item = record[key];
    const redacted = redactValue(item, redactText);
    if (redacted !== item) {
      copy ??= { ...record };
      // Defined, not assigned: assigning a `__proto__` key would replace the copy's prototype.
      Object.defineProperty(copy, key, { value: redacted, enumerable: true, writable: true, configurable: true });
    }
  }
  return copy ?? record;
}
