import { describe, expect, it } from 'vitest';
import { openInferenceProvider } from './openinference-provider.js';

describe('openInferenceProvider', () => {
  it('is llm.provider, else llm.system', () => {
    expect(openInferenceProvider({ 'llm.provider': 'azure', 'llm.system': 'openai' }, 'LLM')).toBe('azure');
    expect(openInferenceProvider({ 'llm.system': 'anthropic' }, 'LLM')).toBe('anthropic');
  });

  it("is LangChain's ls_provider from the metadata of an LLM span that names no provider", () => {
    expect(openInferenceProvider({ metadata: '{"ls_provider":"openai","ls_model_name":"gpt-4.1-mini"}' }, 'LLM')).toBe('openai');
  });

  it('reads no metadata of other spans, and none that is not a JSON object', () => {
    expect(openInferenceProvider({ metadata: '{"ls_provider":"openai"}' }, 'CHAIN')).toBeUndefined();
    expect(openInferenceProvider({ metadata: 'not json' }, 'LLM')).toBeUndefined();
    expect(openInferenceProvider({ metadata: '["openai"]' }, 'LLM')).toBeUndefined();
    expect(openInferenceProvider({}, 'LLM')).toBeUndefined();
  });
});
