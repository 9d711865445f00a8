import { z } from 'zod';
import { ModelRefSchema } from './provider-config.js';

/**
 * How scenario examples' simulated user is configured (`simulatedUser:` in the config, or under
 * `dataset:`): a model through the AI SDK, or a deterministic scripted user with fixed branches.
 */

export const ModelSimulatedUserConfigSchema = z.strictObject({
  type: z.literal('model'),
  model: ModelRefSchema,
  temperature: z.number().min(0).max(2).optional(),
  /** Extra instructions appended to the simulated user's system prompt. */
  instructions: z.string().optional(),
  /** Seed of trial 0; trial k uses seed + k, so `--repeat` trials differ and a rerun replays. */
  seed: z.number().int().min(0).default(0),
});

const RegexSchema = z.string().refine((pattern) => {
  try {
    new RegExp(pattern, 'i');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

/** One branch of a scripted user: when the target's last answer matches `when`, say `say` (or end). */
export const ScriptedRuleSchema = z
  .strictObject({
    /** Regular expression (case-insensitive) tested on the target's last answer; absent matches always. */
    when: RegexSchema.optional(),
    /** The next user message; a template over `{{goal}}`, `{{persona}}`, `{{facts.x}}`. */
    say: z.string().optional(),
    done: z.boolean().default(false),
    goalMet: z.boolean().default(false),
  })
  .refine((r) => r.done || (r.say !== undefined && r.say.trim() !== ''), { message: 'a rule that does not end the conversation (done: false) needs "say"', path: ['say'] });
export type ScriptedRule = z.infer<typeof ScriptedRuleSchema>;

export const ScriptedSimulatedUserConfigSchema = z.strictObject({
  type: z.literal('scripted'),
  /** The first message when the scenario has no `opening`; a template like `say`. */
  opening: z.string().min(1).default('{{goal}}'),
  /** Tried in order after each answer; the first that matches decides. */
  rules: z.array(ScriptedRuleSchema).default([]),
  /** When no rule matches: by default the user gives up (done, goal not met). */
  otherwise: ScriptedRuleSchema.prefault({ done: true }),
});

export const SimulatedUserConfigSchema = z.discriminatedUnion('type', [ModelSimulatedUserConfigSchema, ScriptedSimulatedUserConfigSchema]);
export type SimulatedUserConfig = z.infer<typeof SimulatedUserConfigSchema>;
export type ModelSimulatedUserConfig = z.infer<typeof ModelSimulatedUserConfigSchema>;
export type ScriptedSimulatedUserConfig = z.infer<typeof ScriptedSimulatedUserConfigSchema>;
