import { z } from 'zod';

/**
 * Scorer configuration of DESIGN.md §5: one schema per scorer type, joined in a discriminated union
 * keyed by `type`. Every string parameter may hold `{{input.x}}`-style templates, rendered per example.
 * Every deterministic scorer takes `not: true` to invert its verdict.
 */
export const SCORER_TYPES = [
  'equals',
  'contains',
  'icontains',
  'starts-with',
  'contains-any',
  'contains-all',
  'regex',
  'is-json',
  'json-schema',
  'length',
  'levenshtein',
  'tool-called',
  'tool-not-called',
  'tool-args',
  'tool-sequence',
  'latency',
  'cost',
  'refusal',
  'function',
  'command',
  'judge',
  'similarity',
  'human',
  'goal-completed',
  'turns',
  'per-turn',
  'repeated-question',
  'frustration',
  'recovered',
] as const;
export const ScorerTypeSchema = z.enum(SCORER_TYPES);
export type ScorerType = z.infer<typeof ScorerTypeSchema>;

const not = { not: z.boolean().optional() };
const unit = z.number().min(0).max(1);

export const EqualsConfigSchema = z.strictObject({ type: z.literal('equals'), value: z.unknown(), ...not });
export const ContainsConfigSchema = z.strictObject({ type: z.literal('contains'), value: z.string(), ...not });
export const IContainsConfigSchema = z.strictObject({ type: z.literal('icontains'), value: z.string(), ...not });
export const StartsWithConfigSchema = z.strictObject({ type: z.literal('starts-with'), value: z.string(), ...not });
export const ContainsAnyConfigSchema = z.strictObject({ type: z.literal('contains-any'), values: z.array(z.string()).min(1), ...not });
export const ContainsAllConfigSchema = z.strictObject({ type: z.literal('contains-all'), values: z.array(z.string()).min(1), ...not });
export const RegexConfigSchema = z
  .strictObject({ type: z.literal('regex'), pattern: z.string().min(1), flags: z.string().regex(/^[dgimsuvy]*$/).optional(), ...not })
  .superRefine((c, ctx) => {
    // A pattern without {{templates}} is checked here, so the config error names its file, line and field.
    if (c.pattern.includes('{{')) return;
    try {
      new RegExp(c.pattern, c.flags ?? '');
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: `invalid regex ${JSON.stringify(c.pattern)}: ${e instanceof Error ? e.message : String(e)}` });
    }
  });
export const IsJsonConfigSchema = z.strictObject({ type: z.literal('is-json'), ...not });
export const JsonSchemaConfigSchema = z.strictObject({
  type: z.literal('json-schema'),
  /** An inline JSON Schema object, or a path (relative to the config file) to a JSON/YAML file. */
  schema: z.union([z.record(z.string(), z.unknown()), z.string()]),
  ...not,
});
export const LengthConfigSchema = z.strictObject({
  type: z.literal('length'),
  minWords: z.number().int().nonnegative().optional(),
  maxWords: z.number().int().nonnegative().optional(),
  minChars: z.number().int().nonnegative().optional(),
  maxChars: z.number().int().nonnegative().optional(),
  ...not,
});
export const LevenshteinConfigSchema = z.strictObject({ type: z.literal('levenshtein'), value: z.string(), threshold: unit, ...not });
export const ToolCalledConfigSchema = z.strictObject({ type: z.literal('tool-called'), name: z.string().min(1), ...not });
export const ToolNotCalledConfigSchema = z.strictObject({ type: z.literal('tool-not-called'), name: z.string().min(1), ...not });
export const ToolArgsConfigSchema = z.strictObject({
  type: z.literal('tool-args'),
  name: z.string().min(1),
  /** JSON Schema the arguments must validate against (inline or file path). */
  schema: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
  /** Expected arguments; every given key must be deep-equal (extra keys in the call are allowed). */
  arguments: z.record(z.string(), z.unknown()).optional(),
  ...not,
});
export const ToolSequenceConfigSchema = z.strictObject({
  type: z.literal('tool-sequence'),
  names: z.array(z.string().min(1)).min(1),
  strict: z.boolean().optional(),
  ...not,
});
export const LatencyConfigSchema = z.strictObject({ type: z.literal('latency'), maxMs: z.number().positive(), ...not });
export const CostConfigSchema = z.strictObject({ type: z.literal('cost'), maxUsd: z.number().nonnegative(), ...not });
export const RefusalConfigSchema = z.strictObject({ type: z.literal('refusal'), ...not });
/**
 * The name of a scorer the operator registered (a file `<name>.ts|.js|.mjs|.mts` in the directory of
 * `evalops serve|worker --scorers DIR`): what an online rule defined over the API may run as code.
 */
export const RegisteredScorerNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'a registered scorer name is letters, digits, "_" and "-", starting with a letter');

/**
 * `function`: user code. Either `path` (a module on the disk of whoever runs the config: the CLI's
 * own configs) or `name` (a scorer registered by the operator of the server and worker), not both.
 */
export const FunctionConfigSchema = z
  .strictObject({
    type: z.literal('function'),
    path: z.string().min(1).optional(),
    name: RegisteredScorerNameSchema.optional(),
    export: z.string().min(1).optional(),
    ...not,
  })
  .superRefine((config, ctx) => {
    if (config.path === undefined && config.name === undefined) ctx.addIssue({ code: 'custom', path: ['path'], message: 'a function scorer needs `path` (a module of this config) or `name` (a scorer registered with --scorers DIR)' });
    if (config.path !== undefined && config.name !== undefined) ctx.addIssue({ code: 'custom', path: ['name'], message: 'give `path` or `name`, not both' });
    if (config.name !== undefined && config.export !== undefined) ctx.addIssue({ code: 'custom', path: ['export'], message: 'a registered scorer is its file\'s default export; `export` goes with `path` only' });
  });
/**
 * `command`: a program in any language, given the example and output as JSON on stdin, answering
 * `{ pass?, score?, reason? }` as JSON on stdout. From a config file only: never from a request.
 */
export const CommandConfigSchema = z.strictObject({
  type: z.literal('command'),
  /** The program and its arguments, run without a shell in the config file's directory, e.g. `[python3, ./scorers/check.py]`. */
  command: z.array(z.string().min(1)).min(1),
  /** Killed after this long, the score errored (default 10 s). */
  timeoutMs: z.number().int().positive().max(600_000).optional(),
  ...not,
});
export const JudgeConfigSchema = z.strictObject({
  type: z.literal('judge'),
  /** `provider:model`, e.g. `openai:gpt-4.1-mini`; falls back to the config's `models.judge`. */
  model: z.string().min(1).optional(),
  /** Inline rubric text, or a path (relative to the config file) to a Markdown file. */
  rubric: z.string().min(1),
  labels: z.array(z.string().min(1)).min(2),
  pass: z.array(z.string().min(1)).min(1),
  /** Minimum judge confidence (0..1) for the label to count; below it the score is errored as doubtful. */
  threshold: unit.optional(),
});
export const SimilarityConfigSchema = z.strictObject({
  type: z.literal('similarity'),
  value: z.string(),
  threshold: unit,
  /** Embedding model `provider:model`; without it a local lexical measure (token cosine) is used. */
  model: z.string().min(1).optional(),
  ...not,
});
export const HumanConfigSchema = z.strictObject({
  type: z.literal('human'),
  labels: z.array(z.string().min(1)).min(2),
  pass: z.array(z.string().min(1)).min(1),
});

/**
 * The scorers that judge one output (every type above): what `per-turn` may apply to each turn of a
 * conversation. Session scorers are not among them (a turn is not a session).
 */
const TURN_SCORER_SCHEMAS = [
  EqualsConfigSchema,
  ContainsConfigSchema,
  IContainsConfigSchema,
  StartsWithConfigSchema,
  ContainsAnyConfigSchema,
  ContainsAllConfigSchema,
  RegexConfigSchema,
  IsJsonConfigSchema,
  JsonSchemaConfigSchema,
  LengthConfigSchema,
  LevenshteinConfigSchema,
  ToolCalledConfigSchema,
  ToolNotCalledConfigSchema,
  ToolArgsConfigSchema,
  ToolSequenceConfigSchema,
  LatencyConfigSchema,
  CostConfigSchema,
  RefusalConfigSchema,
  FunctionConfigSchema,
  CommandConfigSchema,
  JudgeConfigSchema,
  SimilarityConfigSchema,
] as const;
export const TurnScorerConfigSchema = z.discriminatedUnion('type', TURN_SCORER_SCHEMAS);
export type TurnScorerConfig = z.infer<typeof TurnScorerConfigSchema>;

/*
 * Session scorers (conversations): they read the whole transcript. On a result that is not a
 * conversation they are skipped; on an empty or errored conversation they fail. They take no `not`:
 * inverting a session verdict would turn an errored conversation into a pass.
 */

/** The rubric `goal-completed` uses when none is given. */
export const GOAL_COMPLETED_RUBRIC = [
  'You read the whole transcript of a conversation between a user and an assistant (an AI support agent).',
  'Decide whether the user\'s goal was completed by the end of the conversation.',
  '- "met": the goal was fully achieved, and what the assistant says it did matches its tool calls.',
  '- "partially_met": progress was made but something the user needed is missing or wrong.',
  '- "not_met": the goal was not achieved, the assistant gave up, looped, or claimed success without doing it.',
  'The goal, when known, is stated before the transcript.',
].join('\n');

export const GoalCompletedConfigSchema = z.strictObject({
  type: z.literal('goal-completed'),
  /** `provider:model`; falls back to the config's `models.judge`. */
  model: z.string().min(1).optional(),
  /** Inline rubric text or a Markdown file path; a built-in rubric when absent. */
  rubric: z.string().min(1).default(GOAL_COMPLETED_RUBRIC),
  labels: z.array(z.string().min(1)).min(2).default(['not_met', 'partially_met', 'met']),
  pass: z.array(z.string().min(1)).min(1).default(['met']),
  threshold: unit.optional(),
});
export const TurnsConfigSchema = z.strictObject({
  type: z.literal('turns'),
  /** At most this many turns (user message + answer). */
  max: z.number().int().min(1),
});
export const PER_TURN_AGGREGATES = ['all', 'any', 'mean'] as const;
export const PerTurnConfigSchema = z.strictObject({
  type: z.literal('per-turn'),
  /** The scorer applied to each turn's answer, with that turn's `expected` as `{{expected…}}`. */
  scorer: TurnScorerConfigSchema,
  /** `all` turns pass (default), `any` turn passes, or the `mean` value reaches `min`. */
  aggregate: z.enum(PER_TURN_AGGREGATES).default('all'),
  /** With `aggregate: mean`: the mean value needed to pass (default 0.5). */
  min: unit.optional(),
});
export const RepeatedQuestionConfigSchema = z.strictObject({
  type: z.literal('repeated-question'),
  /** Normalised-text similarity (0..1) from which two messages count as the same (default 0.8). */
  threshold: unit.optional(),
  /** Whose repetition counts: the assistant asking a question again, the user repeating a message, or both (default). */
  who: z.enum(['assistant', 'user', 'both']).optional(),
});
export const FrustrationConfigSchema = z.strictObject({
  type: z.literal('frustration'),
  /** Passes while the session has at most this many frustration signals (default 0). */
  maxSignals: z.number().int().nonnegative().optional(),
});
export const RecoveredConfigSchema = z.strictObject({ type: z.literal('recovered') });

export const ScorerConfigSchema = z.discriminatedUnion('type', [
  ...TURN_SCORER_SCHEMAS,
  HumanConfigSchema,
  GoalCompletedConfigSchema,
  TurnsConfigSchema,
  PerTurnConfigSchema,
  RepeatedQuestionConfigSchema,
  FrustrationConfigSchema,
  RecoveredConfigSchema,
]);
export type ScorerConfig = z.infer<typeof ScorerConfigSchema>;
/** The config of one scorer type, e.g. `ScorerConfigOf<'regex'>`. */
export type ScorerConfigOf<T extends ScorerType> = Extract<ScorerConfig, { type: T }>;
