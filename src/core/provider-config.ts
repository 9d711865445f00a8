import { z } from 'zod';

/**
 * LLM providers by name. A model reference is `name:model`. `openai` and `anthropic` work without an
 * entry when their API key variable is set; any OpenAI-compatible server (Ollama, vLLM, LM Studio,
 * LiteLLM) is an `openai-compatible` entry with a `baseURL`.
 */
export const ProviderKindSchema = z.enum(['openai', 'anthropic', 'openai-compatible']);
export type ProviderKind = z.infer<typeof ProviderKindSchema>;

export const ProviderConfigSchema = z.strictObject({
  kind: ProviderKindSchema,
  baseURL: z.string().url().optional(),
  /** Name of the environment variable holding the API key (never the key itself). */
  apiKeyEnv: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** Price per million tokens, for cost accounting when the provider does not report cost. */
  pricing: z.record(z.string(), z.strictObject({ inputPerMTok: z.number().nonnegative(), outputPerMTok: z.number().nonnegative() })).optional(),
  /** Requests per minute an online worker process sends this provider (judges, embeddings); unlimited when absent. */
  rateLimitPerMinute: z.number().int().positive().max(1_000_000).optional(),
});
export type ProviderConfig = z.infer<typeof ProviderConfigSchema>;

/** A model reference as configs write it: `provider:model`. */
export const ModelRefSchema = z.string().regex(/^[a-z][a-z0-9-]*:.+$/, 'a model is "provider:model", e.g. "openai:gpt-4.1-mini"');

export const ProvidersConfigSchema = z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), ProviderConfigSchema);
export type ProvidersConfig = z.infer<typeof ProvidersConfigSchema>;

/** Splits `provider:model` (the model part may itself hold colons, e.g. `ollama:llama3:8b`). */
export function parseModelRef(ref: string): { provider: string; model: string } {
  const i = ref.indexOf(':');
  if (i <= 0 || i === ref.length - 1) throw new TypeError(`model "${ref}" must be "provider:model", e.g. "openai:gpt-4.1-mini"`);
  return { provider: ref.slice(0, i), model: ref.slice(i + 1) };
}
