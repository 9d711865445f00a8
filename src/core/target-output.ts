import { z } from 'zod';

export const ToolCallSchema = z.object({
  name: z.string().min(1),
  arguments: z.unknown().default({}),
  /** The tool's result and, when the call failed, its error (used by session scorers such as `recovered`). */
  result: z.unknown().optional(),
  error: z.string().optional(),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

export const TokenUsageSchema = z.object({
  inputTokens: z.number().nonnegative().optional(),
  outputTokens: z.number().nonnegative().optional(),
  totalTokens: z.number().nonnegative().optional(),
});
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

/** What a target returns for one input: the output and, where it has them, tool calls, usage, cost. */
export const TargetOutputSchema = z.object({
  output: z.unknown(),
  toolCalls: z.array(ToolCallSchema).default([]),
  usage: TokenUsageSchema.optional(),
  costUsd: z.number().nonnegative().optional(),
});
export type TargetOutput = z.infer<typeof TargetOutputSchema>;

/**
 * Normalises what user code returns: either a plain output, or an object with `output` and optionally
 * `toolCalls`, `usage`, `costUsd`. An object is read as the structured form only when it has an
 * `output` key and no keys other than those four.
 */
export function normaliseTargetOutput(value: unknown): TargetOutput {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'output' in value) {
    const keys = Object.keys(value);
    const known = new Set(['output', 'toolCalls', 'usage', 'costUsd']);
    if (keys.every((k) => known.has(k))) {
      const parsed = TargetOutputSchema.safeParse(value);
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0];
      throw new TypeError(`target output field ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
    }
  }
  return { output: value, toolCalls: [] };
}

/** The text a text scorer sees: strings as they are, anything else as JSON. */
export function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (output === undefined || output === null) return '';
  return JSON.stringify(output);
}
