import { z } from 'zod';

/**
 * Conversation examples (issue 18). A dataset example is either single-turn (input → output, as
 * before) or carries a `conversation`: scripted `turns` replayed one by one with the target's own
 * earlier answers in the history, or a `scenario` that a simulated user drives towards a goal.
 */
export const ConversationTurnSchema = z.object({
  user: z.string().refine((s) => s.trim() !== '', 'a turn needs a non-empty "user" message'),
  /** What this turn's answer should be, for per-turn scorers. */
  expected: z.unknown().optional(),
});
export type ConversationTurn = z.infer<typeof ConversationTurnSchema>;

export const ScenarioSchema = z.object({
  /** Who the simulated user is ("an impatient customer who bought a kettle"). */
  persona: z.string().default('a customer'),
  goal: z.string().refine((s) => s.trim() !== '', 'a scenario needs a non-empty "goal"'),
  /** What the simulated user knows and may tell the target (order number, dates, …). */
  facts: z.record(z.string(), z.unknown()).default({}),
  maxTurns: z.number().int().min(1, 'maxTurns must be at least 1').max(100).default(6),
  /** The user's first message; when absent the simulated user writes it. */
  opening: z.string().optional(),
  /** The expected end state, for session scorers (e.g. "refund issued for order 1234"). */
  expected: z.unknown().optional(),
});
export type Scenario = z.infer<typeof ScenarioSchema>;

export const ConversationSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('turns'), turns: z.array(ConversationTurnSchema).min(1, 'a conversation needs at least one turn') }),
  z.object({ kind: z.literal('scenario'), scenario: ScenarioSchema }),
]);
export type ConversationSpec = z.infer<typeof ConversationSpecSchema>;
