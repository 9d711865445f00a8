/**
 * Builds Vercel AI SDK provider instances from the `providers:` section of the config. `openai` and
 * `anthropic` exist without an entry (their key comes from OPENAI_API_KEY / ANTHROPIC_API_KEY); an
 * entry of the same name overrides the built-in one. Every value the SDK would otherwise read from
 * `process.env` is passed explicitly, so the injected `env` is the only source.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { EmbeddingModel, LanguageModel } from 'ai';
import { EvalOpsError } from '../core/errors.js';
import type { ProviderConfig, ProviderKind, ProvidersConfig } from '../core/provider-config.js';

export type Env = Readonly<Record<string, string | undefined>>;

export type ModelPricing = NonNullable<ProviderConfig['pricing']>[string];

/** One named provider, ready to hand out AI SDK models, or saying why it cannot. */
export interface ProviderHandle {
  readonly name: string;
  readonly kind: ProviderKind;
  /** Why calls cannot be made (e.g. "OPENAI_API_KEY is not set"); undefined when they can. */
  readonly missing: string | undefined;
  pricing(model: string): ModelPricing | undefined;
  languageModel(model: string): Exclude<LanguageModel, string>;
  embeddingModel(model: string): Exclude<EmbeddingModel, string>;
}

const DEFAULT_KEY_ENV: Readonly<Record<ProviderKind, string | undefined>> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  'openai-compatible': undefined,
};

const BUILT_IN: Readonly<Record<string, ProviderConfig>> = {
  openai: { kind: 'openai' },
  anthropic: { kind: 'anthropic' },
};

/**
 * Resolves every configured provider plus the built-in `openai` and `anthropic`.
 * @throws EvalOpsError('config') for an entry that can never work (openai-compatible without baseURL).
 */
export function createProviderHandles(providers: ProvidersConfig, env: Env): ReadonlyMap<string, ProviderHandle> {
  const out = new Map<string, ProviderHandle>();
  for (const [name, config] of Object.entries({ ...BUILT_IN, ...providers })) {
    out.set(name, createProviderHandle(name, config, env));
  }
  return out;
}

export function createProviderHandle(name: string, config: ProviderConfig, env: Env): ProviderHandle {
  if (config.kind === 'openai-compatible' && !config.baseURL) {
    throw new EvalOpsError('config', `provider "${name}" of kind openai-compatible needs a baseURL (e.g. http://localhost:11434/v1)`, {
      location: `providers.${name}.baseURL`,
    });
  }
  const keyEnv = config.apiKeyEnv ?? DEFAULT_KEY_ENV[config.kind];
  const apiKey = keyEnv ? nonEmpty(env[keyEnv]) : undefined;
  const missing = keyEnv && !apiKey ? `${keyEnv} is not set` : undefined;
  const sdk = lazy(() => buildSdkProvider(name, config, apiKey, env));
  // One model object per id: building one costs the SDK its schemas again (≈0.25 ms of CPU per call,
  // measured in bench/llm-bound), which adds up over thousands of calls.
  const languageModels = new Map<string, Exclude<LanguageModel, string>>();
  const embeddingModels = new Map<string, Exclude<EmbeddingModel, string>>();
  return {
    name,
    kind: config.kind,
    missing,
    pricing: (model) => config.pricing?.[model],
    languageModel: (model) => memo(languageModels, model, () => sdk().languageModel(model)),
    embeddingModel: (model) => memo(embeddingModels, model, () => sdk().embeddingModel(model)),
  };
}

interface SdkProvider {
  languageModel(model: string): Exclude<LanguageModel, string>;
  embeddingModel(model: string): Exclude<EmbeddingModel, string>;
}

function buildSdkProvider(name: string, config: ProviderConfig, apiKey: string | undefined, env: Env): SdkProvider {
  const headers = config.headers;
  switch (config.kind) {
    case 'openai': {
      const baseURL = config.baseURL ?? nonEmpty(env.OPENAI_BASE_URL) ?? 'https://api.openai.com/v1';
      const p = createOpenAI({ name, baseURL, apiKey: apiKey ?? '', ...(headers ? { headers } : {}) });
      // Chat Completions rather than the Responses API: the one dialect every OpenAI-style server speaks.
      return { languageModel: (m) => p.chat(m), embeddingModel: (m) => p.embedding(m) };
    }
    case 'anthropic': {
      const baseURL = config.baseURL ?? nonEmpty(env.ANTHROPIC_BASE_URL) ?? 'https://api.anthropic.com/v1';
      const p = createAnthropic({ baseURL, apiKey: apiKey ?? '', ...(headers ? { headers } : {}) });
      return {
        languageModel: (m) => p.languageModel(m),
        embeddingModel: () => {
          throw new EvalOpsError('config', `provider "${name}" (anthropic) has no embedding models; use an openai or openai-compatible provider`);
        },
      };
    }
    case 'openai-compatible': {
      const p = createOpenAICompatible({
        name,
        baseURL: config.baseURL as string,
        ...(apiKey ? { apiKey } : {}),
        ...(headers ? { headers } : {}),
        // Ollama, vLLM, LM Studio and LiteLLM accept `response_format: json_schema`; without it the
        // schema would not reach the model at all.
        supportsStructuredOutputs: true,
        includeUsage: true,
      });
      return { languageModel: (m) => p.chatModel(m), embeddingModel: (m) => p.embeddingModel(m) };
    }
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function lazy<T>(make: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: make() }).v;
}

function memo<T>(cache: Map<string, T>, key: string, build: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = build();
    cache.set(key, value);
  }
  return value;
}
