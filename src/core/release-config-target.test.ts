import { describe, expect, it } from 'vitest';
import { EvalOpsError } from './errors.js';
import { releaseConfigTarget } from './release-config-target.js';

describe('releaseConfigTarget', () => {
  it('takes the system and user prompts, the model, its call parameters and the tools', () => {
    const { target, templates } = releaseConfigTarget(
      {
        prompts: { system: { template: 'You answer in {{metadata.lang}}.' }, user: { template: 'Q: {{input.q}}' }, greeting: { template: 'Hi {{input.name}}' } },
        model: { id: 'local:llama3:8b', parameters: { temperature: 0.2, maxTokens: 300, topP: 0.9 } },
        tools: [{ name: 'lookup_order' }],
        data: { flag: true },
      },
      'config',
    );
    expect(target).toEqual({
      type: 'model',
      model: 'local:llama3:8b',
      system: 'You answer in {{metadata.lang}}.',
      prompt: 'Q: {{input.q}}',
      tools: [{ name: 'lookup_order', description: '', parameters: { type: 'object', properties: {} } }],
      temperature: 0.2,
      maxTokens: 300,
      timeoutMs: 60_000,
    });
    expect(templates).toEqual([
      { field: 'config.prompts.system.template', text: 'You answer in {{metadata.lang}}.' },
      { field: 'config.prompts.user.template', text: 'Q: {{input.q}}' },
    ]);
  });

  it('sends the input itself when the config has no user prompt', () => {
    const { target, templates } = releaseConfigTarget({ model: { id: 'openai:gpt-4.1-mini' } }, 'draft');
    expect(target.prompt).toBeUndefined();
    expect(templates).toEqual([]);
  });

  it('refuses a config without a model, naming the field', () => {
    let error: unknown;
    try {
      releaseConfigTarget({ prompts: { user: { template: 'x' } } }, 'config');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EvalOpsError);
    expect((error as EvalOpsError).describe()).toMatch(/^config\.model: the config has no model/);
  });
});
