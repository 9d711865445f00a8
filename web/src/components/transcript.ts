/**
 * A conversation's transcript as the API sends it (a result's output, a review item's output, a
 * production session): turns of user message, answer, tool calls (with their errors), and, for a
 * simulated user, the goal and the verdicts. Read defensively: the value comes from `unknown` fields.
 */
export interface TranscriptToolCall {
  readonly name: string;
  readonly arguments?: unknown;
  readonly result?: unknown;
  readonly error?: string;
}

/** A per-turn score (from a per-turn scorer), when the turn carries one. */
export interface TurnScore {
  readonly metric: string;
  readonly pass: boolean | null;
  readonly value?: number | null;
  readonly reason?: string | null;
}

export interface TranscriptTurnView {
  readonly index: number;
  readonly user: string;
  readonly text: string;
  readonly toolCalls: readonly TranscriptToolCall[];
  readonly latencyMs?: number;
  readonly error?: string;
  readonly verdict?: { readonly message: string; readonly done: boolean; readonly goalMet: boolean };
  readonly rawUserAnswer?: string;
  readonly scores: readonly TurnScore[];
}

export interface TranscriptView {
  readonly kind: 'transcript';
  readonly turns: readonly TranscriptTurnView[];
  readonly endedBy: string;
  readonly goal?: string;
  readonly persona?: string;
  readonly goalMet: boolean | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The value as a transcript, or null when it is not one (`kind: 'transcript'` with turns). */
export function asTranscriptView(value: unknown): TranscriptView | null {
  if (!isObject(value) || value['kind'] !== 'transcript' || !Array.isArray(value['turns'])) return null;
  const turns: TranscriptTurnView[] = [];
  for (const [i, raw] of (value['turns'] as unknown[]).entries()) {
    if (!isObject(raw)) return null;
    const verdict = isObject(raw['verdict']) ? { message: String(raw['verdict']['message'] ?? ''), done: raw['verdict']['done'] === true, goalMet: raw['verdict']['goalMet'] === true } : undefined;
    turns.push({
      index: typeof raw['index'] === 'number' ? raw['index'] : i,
      user: String(raw['user'] ?? ''),
      text: typeof raw['text'] === 'string' ? raw['text'] : JSON.stringify(raw['output'] ?? ''),
      toolCalls: Array.isArray(raw['toolCalls']) ? (raw['toolCalls'] as unknown[]).filter(isObject).map((c) => ({ name: String(c['name'] ?? '?'), arguments: c['arguments'], result: c['result'], ...(typeof c['error'] === 'string' ? { error: c['error'] } : {}) })) : [],
      ...(typeof raw['latencyMs'] === 'number' ? { latencyMs: raw['latencyMs'] } : {}),
      ...(typeof raw['error'] === 'string' ? { error: raw['error'] } : {}),
      ...(verdict ? { verdict } : {}),
      ...(typeof raw['rawUserAnswer'] === 'string' ? { rawUserAnswer: raw['rawUserAnswer'] } : {}),
      scores: turnScores(raw['scores']),
    });
  }
  return {
    kind: 'transcript',
    turns,
    endedBy: String(value['endedBy'] ?? ''),
    ...(typeof value['goal'] === 'string' ? { goal: value['goal'] } : {}),
    ...(typeof value['persona'] === 'string' ? { persona: value['persona'] } : {}),
    goalMet: typeof value['goalMet'] === 'boolean' ? value['goalMet'] : null,
  };
}

/** Per-turn scores as a turn may carry them: a list of { metric, pass, … } or a record by metric. */
function turnScores(raw: unknown): TurnScore[] {
  const one = (metric: string, s: unknown): TurnScore | null => (isObject(s) ? { metric, pass: typeof s['pass'] === 'boolean' ? s['pass'] : null, value: typeof s['value'] === 'number' ? s['value'] : null, reason: typeof s['reason'] === 'string' ? s['reason'] : null } : null);
  if (Array.isArray(raw)) return raw.flatMap((s) => (isObject(s) && typeof s['metric'] === 'string' ? [one(s['metric'], s)!] : []));
  if (isObject(raw)) return Object.entries(raw).flatMap(([m, s]) => { const v = one(m, s); return v ? [v] : []; });
  return [];
}

/** Why a conversation ended, in words. */
export function endedByText(endedBy: string): string {
  switch (endedBy) {
    case 'script-end':
      return 'the scripted turns ran out (or, in production, the session went idle)';
    case 'user-done':
      return 'the user was done (or, in production, a span ended the session)';
    case 'max-turns':
      return 'the turn limit was reached';
    case 'error':
      return 'the target failed';
    default:
      return endedBy || 'unknown';
  }
}
