import type { z } from 'zod';
import { ConversationSpecSchema, type ConversationSpec } from '../core/conversation.js';
import type { RowError } from './raw-row.js';

/** What a row's `turns` or `scenario` becomes: the conversation, and the `input` shown for it. */
export type NormalisedConversation =
  | { readonly ok: true; readonly conversation: ConversationSpec; readonly input: string }
  | { readonly ok: false; readonly errors: readonly RowError[] };

/**
 * A row's top-level `turns` (a list of `{ user, expected? }`, or plain strings as a shorthand for
 * `{ user }`) or `scenario` (`{ persona, goal, facts, maxTurns, opening?, expected? }`) → a
 * ConversationSpec, with `input` set to the first user message (turns) or the goal (scenario).
 * Every problem names its field as a path, e.g. `turns.2.user`, `scenario.maxTurns`.
 * @example normaliseConversation({ turns: ['hi', { user: 'order 7' }] }, 3)
 * // { ok: true, input: 'hi', conversation: { kind: 'turns', turns: [{ user: 'hi' }, { user: 'order 7' }] } }
 */
export function normaliseConversation(row: { readonly turns?: unknown; readonly scenario?: unknown; readonly conversation?: unknown; readonly input?: unknown }, line: number): NormalisedConversation {
  if (row.conversation !== undefined) return normalisedForm(row, line);
  const errors: RowError[] = [];
  if (row.turns !== undefined && row.scenario !== undefined) {
    errors.push({ line, field: 'scenario', message: 'a row has either "turns" (a scripted conversation) or "scenario" (a simulated user), not both' });
  }
  if (row.input !== undefined) {
    const which = row.turns !== undefined ? 'turns' : 'scenario';
    errors.push({ line, field: 'input', message: `a conversation row has no "input": it is taken from "${which}" (the first user message or the goal)` });
  }
  if (errors.length > 0) return { ok: false, errors };

  const candidate = row.turns !== undefined ? { kind: 'turns', turns: shorthandTurns(row.turns) } : { kind: 'scenario', scenario: row.scenario };
  if (candidate.kind === 'scenario') {
    const scenario = row.scenario;
    if (scenario === null || typeof scenario !== 'object' || Array.isArray(scenario)) {
      return { ok: false, errors: [{ line, field: 'scenario', message: `scenario must be an object with at least a "goal", got ${kind(scenario)}` }] };
    }
    if ((scenario as { goal?: unknown }).goal === undefined) {
      return { ok: false, errors: [{ line, field: 'scenario.goal', message: 'scenario.goal is required: what the simulated user wants to achieve' }] };
    }
  }
  errors.push(...unknownKeys(candidate, line));
  const parsed = ConversationSpecSchema.safeParse(candidate);
  if (!parsed.success) errors.push(...parsed.error.issues.map((issue) => toRowError(issue, line)));
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  const conversation = parsed.data;
  const input = conversation.kind === 'turns' ? (conversation.turns[0]?.user ?? '') : conversation.scenario.goal;
  return { ok: true, conversation, input };
}

/**
 * An example already normalised (`conversation: { kind, turns | scenario }`, as `datasets show --json`
 * prints it and the CLI sends it to the API): read back through the same checks, `input` derived again.
 */
function normalisedForm(row: { readonly turns?: unknown; readonly scenario?: unknown; readonly conversation?: unknown; readonly input?: unknown }, line: number): NormalisedConversation {
  if (row.turns !== undefined || row.scenario !== undefined) {
    return { ok: false, errors: [{ line, field: 'conversation', message: 'give "turns" or "scenario", or an already normalised "conversation", not both' }] };
  }
  const spec = row.conversation as { kind?: unknown; turns?: unknown; scenario?: unknown } | null;
  if (spec === null || typeof spec !== 'object' || (spec.kind !== 'turns' && spec.kind !== 'scenario')) {
    return { ok: false, errors: [{ line, field: 'conversation', message: 'conversation must be { kind: turns, turns: [...] } or { kind: scenario, scenario: {...} }' }] };
  }
  const inner = normaliseConversation(spec.kind === 'turns' ? { turns: spec.turns } : { scenario: spec.scenario }, line);
  if (!inner.ok) return { ok: false, errors: inner.errors.map((e) => ({ ...e, ...(e.field === undefined ? {} : { field: `conversation.${e.field}` }) })) };
  if (row.input !== undefined && row.input !== inner.input) {
    return { ok: false, errors: [{ line, field: 'input', message: `input of a conversation is its first user message or goal (${JSON.stringify(inner.input)}), got ${JSON.stringify(row.input)}` }] };
  }
  return inner;
}

const SCENARIO_FIELDS = ['persona', 'goal', 'facts', 'maxTurns', 'opening', 'expected'];
const TURN_FIELDS = ['user', 'expected'];

/** The conversation schemas drop unknown keys; a misspelt `maxturns` must be an error, not ignored. */
function unknownKeys(candidate: { kind: string; turns?: unknown; scenario?: unknown }, line: number): RowError[] {
  const errors: RowError[] = [];
  const check = (value: unknown, allowed: readonly string[], path: string): void => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) errors.push({ line, field: `${path}.${key}`, message: `unknown field "${path}.${key}"; allowed: ${allowed.join(', ')}` });
    }
  };
  if (candidate.kind === 'scenario') check(candidate.scenario, SCENARIO_FIELDS, 'scenario');
  else if (Array.isArray(candidate.turns)) candidate.turns.forEach((t: unknown, i) => check(t, TURN_FIELDS, `turns.${i}`));
  return errors;
}

function shorthandTurns(turns: unknown): unknown {
  if (!Array.isArray(turns)) return turns;
  return turns.map((t: unknown) => (typeof t === 'string' ? { user: t } : t));
}

function toRowError(issue: z.core.$ZodIssue, line: number): RowError {
  // The spec's discriminator (`kind`) is ours, not the row's: the path starts at turns/scenario.
  const field = issue.path.map(String).join('.');
  if (field === 'turns' && issue.code === 'invalid_type') {
    return { line, field, message: 'turns must be a list of { user, expected? } (or of plain user messages)' };
  }
  if (/^turns\.\d+$/.test(field) && issue.code === 'invalid_type') {
    return { line, field, message: `${field} must be an object { user, expected? } or a string` };
  }
  if (/^turns\.\d+\.user$/.test(field) && issue.code === 'invalid_type') {
    return { line, field, message: `${field}: a turn needs a non-empty "user" message` };
  }
  return { line, field, message: issue.message.includes(field) ? issue.message : `${field}: ${issue.message}` };
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v;
}
