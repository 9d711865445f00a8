import { z } from 'zod';
import type { Example } from '../core/example.js';
import type { ChatMessage } from '../models/model-port.js';
import type { GenerationFocus } from './generation-focus.js';

/** How many seed examples the prompt shows at most (the rest of the dataset is only deduplicated against). */
export const MAX_SEEDS = 20;

/**
 * The schema of one value shaped like the seeds': a string when they are strings, an object with the
 * same string fields when they are flat objects of strings (a field not every seed has may be null),
 * else undefined (not asked for). Strict and flat, so providers' structured-output modes accept it.
 */
export function valueSchemaLike(values: readonly unknown[]): z.ZodType | undefined {
  const present = values.filter((v) => v !== undefined && v !== null);
  if (present.length === 0) return undefined;
  if (present.every((v) => typeof v === 'string')) return z.string().min(1);
  const objects = present.filter((v): v is Record<string, unknown> => typeof v === 'object' && !Array.isArray(v));
  if (objects.length !== present.length) return undefined;
  const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))].sort();
  if (keys.length === 0 || keys.length > 20 || !objects.every((o) => keys.every((k) => o[k] === undefined || typeof o[k] === 'string'))) return undefined;
  // A field only some seeds have is nullable rather than optional: strict structured-output modes want every field listed.
  return z.strictObject(Object.fromEntries(keys.map((k) => [k, objects.every((o) => o[k] !== undefined) ? z.string() : z.string().nullable()])));
}

/** The structured answer asked of the model: `{ items: [{ input, expected?, rationale }] }`. */
export function answerSchema(seeds: readonly Pick<Example, 'input' | 'expected'>[]): z.ZodType<{ items: { input: unknown; expected?: unknown; rationale: string }[] }> {
  const input = valueSchemaLike(seeds.map((s) => s.input)) ?? z.string().min(1);
  const expected = valueSchemaLike(seeds.map((s) => s.expected));
  const item = z.strictObject({ input, ...(expected ? { expected } : {}), rationale: z.string().describe('what edge this input probes, in one sentence') });
  return z.strictObject({ items: z.array(item) }) as never;
}

/** The system prompt and the user turn asking for `count` new inputs around the focus. */
export function generationMessages(focus: GenerationFocus, seeds: readonly Example[], count: number, avoid: readonly unknown[]): { system: string; messages: ChatMessage[] } {
  const system =
    'You write test inputs for evaluating an AI application. Each input you write must be new: not a paraphrase of a shown example, ' +
    'nor of another input you write. Probe edge cases a real user could produce. Answer only with the JSON object asked for.';
  const shown = seeds.slice(0, MAX_SEEDS).map((s) => JSON.stringify({ input: s.input, ...(s.expected === undefined ? {} : { expected: s.expected }) }));
  const around =
    focus.kind === 'slice'
      ? `The inputs belong to the slice "${focus.slice}" of the dataset; the examples below are from it.`
      : focus.kind === 'persona'
        ? `The inputs come from this user persona: ${focus.persona}`
        : `The inputs probe the failure mode "${focus.name}"${focus.description ? ` (${focus.description})` : ''}. These items failed:\n${focus.items
            .slice(0, MAX_SEEDS)
            .map((i) => JSON.stringify({ input: i.input, ...(i.output === undefined ? {} : { output: i.output }), ...(i.reason ? { reason: i.reason } : {}) }))
            .join('\n')}`;
  const parts = [
    around,
    shown.length > 0 ? `Examples of the dataset (same shape as the inputs to write):\n${shown.join('\n')}` : '',
    avoid.length > 0 ? `Already written (do not repeat):\n${avoid.slice(-MAX_SEEDS).map((a) => JSON.stringify(a)).join('\n')}` : '',
    `Write ${count} new input${count === 1 ? '' : 's'}, each with a one-sentence rationale.`,
  ];
  return { system, messages: [{ role: 'user', content: parts.filter((p) => p !== '').join('\n\n') }] };
}
