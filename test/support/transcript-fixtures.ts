/**
 * Transcript fixtures for session-scorer tests: build a conversation result from short turn specs,
 * parsed through the real TranscriptSchema so a fixture can never be a shape the runner would not store.
 */
import { TranscriptSchema, transcriptText, transcriptToolCalls, type Transcript } from '../../src/core/transcript.js';
import type { ToolCall } from '../../src/core/target-output.js';
import type { ScoreInput } from '../../src/scorers/scorer.js';

export interface TurnSpec {
  readonly user: string;
  readonly assistant?: string;
  readonly toolCalls?: readonly ToolCall[];
  readonly expected?: unknown;
  readonly error?: string;
  readonly latencyMs?: number;
}

/** A transcript from turn specs; `endedBy` defaults to `error` when a turn errored, `script-end` otherwise. */
export function transcriptOf(turns: readonly TurnSpec[], extra: Partial<Omit<Transcript, 'kind' | 'turns'>> = {}): Transcript {
  return TranscriptSchema.parse({
    kind: 'transcript',
    turns: turns.map((t, index) => ({
      index,
      user: t.user,
      output: t.error === undefined ? (t.assistant ?? '') : undefined,
      text: t.error === undefined ? (t.assistant ?? '') : '',
      toolCalls: t.toolCalls ?? [],
      latencyMs: t.latencyMs ?? 10,
      ...(t.expected === undefined ? {} : { expected: t.expected }),
      ...(t.error === undefined ? {} : { error: t.error }),
    })),
    endedBy: turns.some((t) => t.error !== undefined) ? 'error' : 'script-end',
    ...extra,
  });
}

/** The score input the runner builds for a conversation result (see ScoreInput.transcript). */
export function sessionInput(transcript: Transcript, example: Partial<ScoreInput['example']> = {}): ScoreInput {
  return {
    example: { id: 'scenario-1', input: { goal: transcript.goal ?? null }, expected: undefined, metadata: {}, ...example },
    output: transcript,
    text: transcriptText(transcript),
    toolCalls: transcriptToolCalls(transcript),
    latencyMs: transcript.turns.reduce((sum, t) => sum + t.latencyMs, 0),
    transcript,
  };
}

/** A single-turn (non-conversation) result, on which session scorers are skipped. */
export function singleInput(output = 'Your refund for order 1234 has been issued.'): ScoreInput {
  return {
    example: { id: 'single-1', input: 'refund please', expected: undefined, metadata: {} },
    output,
    text: output,
    toolCalls: [{ name: 'issue_refund', arguments: { orderId: '1234' } }],
    latencyMs: 5,
  };
}

export const call = (name: string, args: unknown = {}, extra: { result?: unknown; error?: string } = {}): ToolCall => ({ name, arguments: args, ...extra });
