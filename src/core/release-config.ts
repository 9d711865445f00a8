import { z } from 'zod';
import { contentHash, sha256 } from './hash.js';
import { canonicalJson, JsonValueSchema, type JsonValue } from './json.js';
import { templatePaths } from './template.js';

/**
 * A release config: what an application needs to behave as one release — prompt templates, the model
 * and its parameters, tool definitions and any JSON it reads. It is stored content-addressed with a
 * release name, handed to subjects by the resolver, diffed between releases, and usable as the
 * `model` target's prompt and model, so what was evaluated is exactly what is served.
 *
 * Templates use the placeholders of src/core/template.ts (`{{input.question}}`, `{{metadata.lang}}`).
 */

/** Prompt names and data keys: letters, digits, `_`, `-`, `.`. */
const NameSchema = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.-]+$/, 'names use letters, digits, _, - and .');

export const ReleasePromptSchema = z.strictObject({
  /** Text with `{{variable}}` placeholders. */
  template: z.string().max(200_000),
});
export type ReleasePrompt = z.infer<typeof ReleasePromptSchema>;

/** Sampling parameters a provider call takes; unknown keys are refused so a typo is not silently ignored. */
export const ReleaseModelParametersSchema = z.strictObject({
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().max(1_000_000).optional(),
  topP: z.number().min(0).max(1).optional(),
  topK: z.number().int().positive().optional(),
  frequencyPenalty: z.number().min(-2).max(2).optional(),
  presencePenalty: z.number().min(-2).max(2).optional(),
  stopSequences: z.array(z.string()).max(16).optional(),
  seed: z.number().int().optional(),
});
export type ReleaseModelParameters = z.infer<typeof ReleaseModelParametersSchema>;

export const ReleaseModelSchema = z.strictObject({
  /** `provider:model`, as the model target takes it, e.g. `openai:gpt-4.1-mini`. */
  id: z.string().min(3).max(256).regex(/^[A-Za-z0-9_.-]+:.+$/, 'a model id is provider:model, e.g. openai:gpt-4.1-mini'),
  parameters: ReleaseModelParametersSchema.optional(),
});
export type ReleaseModel = z.infer<typeof ReleaseModelSchema>;

export const ReleaseToolSchema = z.strictObject({
  name: z.string().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/, 'tool names use letters, digits, _ and -'),
  description: z.string().max(10_000).optional(),
  /** JSON Schema of the arguments. */
  parameters: z.record(z.string(), JsonValueSchema).optional(),
});
export type ReleaseTool = z.infer<typeof ReleaseToolSchema>;

export const ReleaseConfigSchema = z
  .strictObject({
    prompts: z.record(NameSchema, ReleasePromptSchema).optional(),
    model: ReleaseModelSchema.optional(),
    tools: z.array(ReleaseToolSchema).max(128).optional(),
    data: z.record(NameSchema, JsonValueSchema).optional(),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    for (const [i, tool] of (config.tools ?? []).entries()) {
      if (seen.has(tool.name)) ctx.addIssue({ code: 'custom', path: ['tools', i, 'name'], message: `tool "${tool.name}" is defined twice` });
      seen.add(tool.name);
    }
  });
export type ReleaseConfig = z.infer<typeof ReleaseConfigSchema>;

/** Largest config accepted, as canonical JSON: a config is read on every resolve, keep it small. */
export const RELEASE_CONFIG_MAX_BYTES = 256 * 1024;

/**
 * The content address of a config: SHA-256 (hex, 64 characters) of its canonical JSON (keys sorted at
 * every depth, no whitespace). Equal content gives the same hash whatever the key order.
 * @example releaseConfigHash({ model: { id: 'openai:gpt-4.1-mini' } }) === releaseConfigHash({ model: { id: 'openai:gpt-4.1-mini' } })
 */
export function releaseConfigHash(config: ReleaseConfig): string {
  return sha256(canonicalJson(config));
}

/**
 * The target variant of a release made from a config alone (`PUT …/releases/NAME/config` for a new
 * name, and a `model` target run from that config): the same config is the same variant.
 */
export function releaseConfigVariant(configHash: string): string {
  return contentHash({ type: 'release-config', configHash });
}

/**
 * The placeholder paths each prompt uses, by prompt name: what an application or a target must provide.
 * @example releaseConfigVariables({ prompts: { user: { template: 'Q: {{input.q}}' } } }) // { user: ['input.q'] }
 */
export function releaseConfigVariables(config: ReleaseConfig): Record<string, string[]> {
  return Object.fromEntries(Object.entries(config.prompts ?? {}).map(([name, p]) => [name, templatePaths(p.template)]));
}

export type ReleaseConfigChangeKind = 'added' | 'removed' | 'changed';

/** One line of a text diff: kept (' '), removed ('-') or added ('+'). */
export interface TextDiffLine {
  readonly op: ' ' | '-' | '+';
  readonly text: string;
}

/** One difference between two configs, at a dotted path (tools are keyed by name: `tools.lookup.description`). */
export interface ReleaseConfigChange {
  readonly path: string;
  readonly kind: ReleaseConfigChangeKind;
  readonly before?: JsonValue;
  readonly after?: JsonValue;
  /** For changed multi-line text (prompt templates): the line diff. */
  readonly lines?: TextDiffLine[];
}

/**
 * What changed from `before` to `after`, path by path, in a stable order (sorted by path). Objects
 * are compared key by key, tools by name, other arrays as whole values.
 * @example diffReleaseConfigs({ model: { id: 'openai:a' } }, { model: { id: 'openai:b' } })
 *   // [{ path: 'model.id', kind: 'changed', before: 'openai:a', after: 'openai:b' }]
 */
export function diffReleaseConfigs(before: ReleaseConfig, after: ReleaseConfig): ReleaseConfigChange[] {
  const changes: ReleaseConfigChange[] = [];
  diffValue('', comparable(before), comparable(after), changes);
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Tools become an object keyed by name so a reorder is no change and a change names the tool. */
function comparable(config: ReleaseConfig): JsonValue {
  const { tools, ...rest } = config;
  const value = JSON.parse(JSON.stringify(rest)) as { [key: string]: JsonValue };
  if (tools !== undefined) value['tools'] = Object.fromEntries(tools.map((t) => [t.name, JSON.parse(JSON.stringify(t)) as JsonValue]));
  return value;
}

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

function diffValue(path: string, a: JsonValue | undefined, b: JsonValue | undefined, out: ReleaseConfigChange[]): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) {
    out.push({ path, kind: 'added', after: b as JsonValue });
    return;
  }
  if (b === undefined) {
    out.push({ path, kind: 'removed', before: a });
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) diffValue(path === '' ? key : `${path}.${key}`, a[key], b[key], out);
    return;
  }
  if (canonicalJson(a) === canonicalJson(b)) return;
  if (typeof a === 'string' && typeof b === 'string' && (a.includes('\n') || b.includes('\n'))) {
    out.push({ path, kind: 'changed', before: a, after: b, lines: diffLines(a, b) });
    return;
  }
  out.push({ path, kind: 'changed', before: a, after: b });
}

/** Longest-common-subsequence line diff; past 2,000 × 2,000 lines it is a whole replacement. */
export function diffLines(a: string, b: string): TextDiffLine[] {
  const x = a.split('\n');
  const y = b.split('\n');
  if (x.length * y.length > 4_000_000) return [...x.map((text) => ({ op: '-' as const, text })), ...y.map((text) => ({ op: '+' as const, text }))];
  const n = x.length;
  const m = y.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const lines: TextDiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      lines.push({ op: ' ', text: x[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) lines.push({ op: '-', text: x[i++]! });
    else lines.push({ op: '+', text: y[j++]! });
  }
  while (i < n) lines.push({ op: '-', text: x[i++]! });
  while (j < m) lines.push({ op: '+', text: y[j++]! });
  return lines;
}
