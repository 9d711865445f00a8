import { z } from 'zod';
import { ToolCallSchema, type ToolCall } from './target-output.js';

/** A message of a conversation's history as a target receives it. */
export const ChatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string(),
  /** On assistant messages: the tool calls the target made in that turn (with results, when known). */
  toolCalls: z.array(ToolCallSchema).optional(),
  /** On tool messages: which call this is the result of, and the tool's name. */
  toolCallId: z.string().optional(),
  name: z.string().optional(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** The simulated user's structured answer for one turn. */
export const SimulatedUserVerdictSchema = z.object({
  message: z.string(),
  done: z.boolean(),
  goalMet: z.boolean(),
});
export type SimulatedUserVerdict = z.infer<typeof SimulatedUserVerdictSchema>;

export const TranscriptTurnSchema = z.object({
  index: z.number().int().nonnegative(),
  /** The user's message of this turn (scripted or simulated). */
  user: z.string(),
  /** The target's output for this turn, and its text. */
  output: z.unknown(),
  text: z.string(),
  toolCalls: z.array(ToolCallSchema).default([]),
  latencyMs: z.number().nonnegative(),
  costUsd: z.number().nonnegative().optional(),
  /** The scripted turn's expected answer, for per-turn scorers. */
  expected: z.unknown().optional(),
  /** Set when the target failed on this turn: the conversation ends errored here. */
  error: z.string().optional(),
  /** The simulated user's verdict after reading this turn's answer (scenarios only). */
  verdict: SimulatedUserVerdictSchema.optional(),
  /** A simulated user answer that broke its schema, kept verbatim. */
  rawUserAnswer: z.string().optional(),
});
export type TranscriptTurn = z.infer<typeof TranscriptTurnSchema>;

/**
 * A whole conversation as run: stored as the result's output (`kind: 'transcript'` marks it), scored
 * by session scorers. `endedBy` says why it stopped; `goalMet` is the simulated user's verdict
 * (null for scripted turns).
 */
export const TranscriptSchema = z.object({
  kind: z.literal('transcript'),
  turns: z.array(TranscriptTurnSchema),
  endedBy: z.enum(['script-end', 'user-done', 'max-turns', 'error']),
  goal: z.string().optional(),
  persona: z.string().optional(),
  goalMet: z.boolean().nullable().default(null),
});
export type Transcript = z.infer<typeof TranscriptSchema>;

/** A stored output that is a transcript, or null. */
export function asTranscript(output: unknown): Transcript | null {
  if (output === null || typeof output !== 'object' || (output as { kind?: unknown }).kind !== 'transcript') return null;
  const parsed = TranscriptSchema.safeParse(output);
  return parsed.success ? parsed.data : null;
}

/** The transcript as text ("user: …\nassistant: …"), what text scorers and judges read. */
export function transcriptText(transcript: Transcript): string {
  const lines: string[] = [];
  for (const turn of transcript.turns) {
    lines.push(`user: ${turn.user}`);
    if (turn.error !== undefined) lines.push(`(target error: ${turn.error})`);
    else lines.push(`assistant: ${turn.text}`);
  }
  return lines.join('\n');
}

/** Every tool call of the session in order, so tool scorers work across the whole conversation. */
export function transcriptToolCalls(transcript: Transcript): ToolCall[] {
  return transcript.turns.flatMap((t) => t.toolCalls);
}
