import { z } from 'zod';

/** Target configuration of DESIGN.md §5: the system under test, one schema per kind. */
export const TARGET_TYPES = ['module', 'command', 'http', 'model'] as const;
export const TargetTypeSchema = z.enum(TARGET_TYPES);
export type TargetType = z.infer<typeof TargetTypeSchema>;

const timeoutMs = z.number().int().positive().max(3_600_000);
/** Optional code version; part of the variant hash when given. */
const version = z.string().min(1).optional();

export const ModuleTargetConfigSchema = z.strictObject({
  type: z.literal('module'),
  /** A .ts/.mts/.js/.mjs file, relative to the config file; loaded without a build step. */
  path: z.string().min(1),
  export: z.string().min(1).default('default'),
  timeoutMs: timeoutMs.optional(),
  version,
});

export const CommandTargetConfigSchema = z.strictObject({
  type: z.literal('command'),
  /** Executable and arguments; the input is written to stdin as JSON, the output read from stdout. */
  command: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  cwd: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  /**
   * `json` requires stdout to be JSON (anything else is that result's error); `text` keeps stdout as
   * trimmed text, whatever it is.
   */
  output: z.enum(['json', 'text']).default('json'),
  /**
   * Globs (relative to the config folder) of the files the command's script reads or imports; their
   * content is part of the variant, so editing them invalidates the response cache. The files the
   * command names itself (e.g. `agent.py` in `python agent.py`) are included without being listed.
   */
  files: z
    .array(
      z
        .string()
        .min(1)
        .refine((g) => !g.startsWith('/') && !g.split('/').includes('..'), 'a files glob is relative to the config folder (no leading / and no ..)'),
    )
    .optional(),
  timeoutMs: timeoutMs.default(30_000),
  version,
});

/**
 * What identifies an http target's deployment for the response cache. Without it an http target's
 * results are never served from the cache of an earlier run (the service behind the URL may have
 * been redeployed). `key` is a template over `{{env.NAME}}`, e.g. `{{env.GIT_SHA}}`; it must not
 * render empty. `versionUrl`, when given, is asked for the deployed version once per run.
 */
export const HttpCacheConfigSchema = z.strictObject({
  key: z.string().min(1),
  /** Optional: a URL answering with the deployed version (a SHA, a build id), fetched once per run and added to the key. */
  versionUrl: z.string().min(1).optional(),
});

export const HttpTargetConfigSchema = z.strictObject({
  type: z.literal('http'),
  url: z.string().min(1),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH']).default('POST'),
  headers: z.record(z.string(), z.string()).default({}),
  /** Request body template (JSON value or string); defaults to `{ "input": <input> }`. */
  body: z.unknown().optional(),
  /** Dot path into the JSON response for the output, e.g. `choices.0.message.content`. */
  responsePath: z.string().optional(),
  /** Dot path to an array of `{ name, arguments }` tool calls. */
  toolCallsPath: z.string().optional(),
  cache: HttpCacheConfigSchema.optional(),
  timeoutMs: timeoutMs.default(30_000),
  version,
});

export const ToolSpecSchema = z.strictObject({
  name: z.string().min(1).regex(/^[A-Za-z0-9_-]+$/, 'tool names use letters, digits, _ and -'),
  description: z.string().default(''),
  /** JSON Schema of the arguments. */
  parameters: z.record(z.string(), z.unknown()).default({ type: 'object', properties: {} }),
});
export type ToolSpec = z.infer<typeof ToolSpecSchema>;

export const ModelTargetConfigSchema = z.strictObject({
  type: z.literal('model'),
  /**
   * `provider:model`, e.g. `openai:gpt-4.1-mini` or `local:llama3` for a configured provider. Filled
   * from the release config when `release` or `config` is given (src/runner/release-model-target.ts).
   */
  model: z.string().min(1).optional(),
  /**
   * A stored release whose config (src/core/release-config.ts) gives the model, its parameters, the
   * tools and the prompts `system` and `user`: what is evaluated is what resolvers serve.
   */
  release: z.string().min(1).max(200).optional(),
  /** A release config file (JSON or YAML, relative to the config file), as `evalops releases config set` takes. */
  config: z.string().min(1).optional(),
  system: z.string().optional(),
  /** User prompt template, e.g. `Answer: {{input.question}}`; defaults to the input as text. */
  prompt: z.string().optional(),
  tools: z.array(ToolSpecSchema).default([]),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().optional(),
  timeoutMs: timeoutMs.default(60_000),
  version,
}).superRefine((t, ctx) => {
  const sources = [t.model, t.release, t.config].filter((v) => v !== undefined).length;
  if (sources !== 1) ctx.addIssue({ code: 'custom', path: sources === 0 ? ['model'] : ['release'], message: 'a model target takes exactly one of model, release (a stored release config) or config (a release config file)' });
  if (sources === 1 && t.model === undefined && (t.prompt !== undefined || t.system !== undefined || t.tools.length > 0 || t.temperature !== undefined || t.maxTokens !== undefined)) {
    ctx.addIssue({ code: 'custom', path: [t.release !== undefined ? 'release' : 'config'], message: 'the prompts, tools and parameters come from the release config: remove prompt, system, tools, temperature and maxTokens' });
  }
});

export const TargetConfigSchema = z.discriminatedUnion('type', [
  ModuleTargetConfigSchema,
  CommandTargetConfigSchema,
  HttpTargetConfigSchema,
  ModelTargetConfigSchema,
]);
export type TargetConfig = z.infer<typeof TargetConfigSchema>;
export type TargetConfigOf<T extends TargetType> = Extract<TargetConfig, { type: T }>;
