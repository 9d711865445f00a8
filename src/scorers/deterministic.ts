import { contentHash } from '../core/hash.js';
import { skipped, type Score } from '../core/score.js';
import { renderDeep, renderTemplate, type TemplateScope } from '../core/template.js';
import type { ScoreInput } from './scorer.js';

/**
 * Small helpers shared by the deterministic scorers: template scope, per-example string parameters
 * that cost nothing when they hold no template, scorer versions and short quotes for reasons.
 */

/** The template scope of one result: `{{input.x}}`, `{{expected.y}}`, `{{metadata.z}}`. */
export function scopeOf(input: ScoreInput): TemplateScope {
  const { example } = input;
  return { input: example.input, expected: example.expected, metadata: example.metadata };
}

/** A string parameter: constant when it holds no `{{`, otherwise rendered for each example. */
export interface TextParam {
  /** The parameter as configured. */
  readonly source: string;
  readonly templated: boolean;
  render(input: ScoreInput): string;
}

/** @example textParam('{{expected.keyword}}').render(input) // 'refund' */
export function textParam(source: string): TextParam {
  if (!source.includes('{{')) return { source, templated: false, render: () => source };
  return { source, templated: true, render: (input) => renderTemplate(source, scopeOf(input)) };
}

/**
 * A JSON-like parameter (expected tool arguments, an `equals` value): constant without templates,
 * otherwise rendered with `renderDeep`, where a string that is exactly one placeholder keeps its type.
 */
export function deepParam(source: unknown): DeepParam {
  if (!containsTemplate(source)) return { templated: false, render: () => source };
  return { templated: true, render: (input) => renderDeep(source, scopeOf(input)) };
}

export interface DeepParam {
  readonly templated: boolean;
  render(input: ScoreInput): unknown;
}

function containsTemplate(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{');
  if (Array.isArray(value)) return value.some(containsTemplate);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsTemplate);
  return false;
}

/**
 * The score for a templated parameter that rendered empty for this example (e.g. the example has no
 * `expected.keyword`): the check does not apply, so it is skipped rather than passed trivially.
 */
export function emptyTemplate(version: string, source: unknown): Score {
  return skipped(version, `${quote(source)} rendered empty for this example`);
}

/** Scorer version: a short content hash of the config plus anything else that decides the verdict. */
export function scorerVersion(config: object, extra?: Record<string, unknown>): string {
  return contentHash(extra === undefined ? config : { config, ...extra });
}

/** A value for a reason: strings quoted, anything else as JSON; cut to `max` characters. */
export function quote(value: unknown, max = 80): string {
  const isText = typeof value === 'string';
  const text = isText ? value : (JSON.stringify(value) ?? String(value));
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return isText ? JSON.stringify(cut) : cut;
}

/**
 * Renders a list of string parameters, dropping templated ones that rendered empty for this example.
 * Returns undefined when nothing is left (the check does not apply).
 */
export function renderList(params: readonly TextParam[], input: ScoreInput): string[] | undefined {
  const out: string[] = [];
  for (const p of params) {
    const v = p.render(input);
    if (!(p.templated && v === '')) out.push(v);
  }
  return out.length === 0 ? undefined : out;
}

/** The names of the tools called, in order, for reasons: `["search", "refund"]` or `no tools`. */
export function calledNames(input: ScoreInput): string {
  return input.toolCalls.length === 0 ? 'no tools were called' : `called: ${quote(input.toolCalls.map((c) => c.name))}`;
}
