import { EvalOpsError } from './errors.js';
import type { ReleaseConfig } from './release-config.js';
import type { TargetConfigOf } from './target-config.js';

/** The prompts a release config's model call uses: `system` as the system message, `user` as the user message. */
export const MODEL_CALL_PROMPTS = { system: 'system', user: 'user' } as const;

/** A template of the config and the field it sits at (`config.prompts.user.template`), for messages that name it. */
export interface ConfigTemplate {
  readonly field: string;
  readonly text: string;
}

/**
 * A release config as a `model` target: its model and the parameters a model call takes
 * (temperature, maxTokens), `prompts.system` as the system prompt, `prompts.user` as the user prompt
 * (without it the input itself is the user message), its tools declared. Other prompts and `data` are
 * for the application and play no part in the call. `field` is where the config sits in the request.
 * @throws EvalOpsError('input') naming `${field}.model` when the config has no model.
 * @example releaseConfigTarget({ model: { id: 'openai:gpt-4.1-mini' }, prompts: { user: { template: 'Q: {{input.q}}' } } }, 'config')
 */
export function releaseConfigTarget(config: ReleaseConfig, field: string): { target: TargetConfigOf<'model'>; templates: ConfigTemplate[] } {
  if (config.model === undefined) throw new EvalOpsError('input', 'the config has no model: add model.id (provider:model, e.g. openai:gpt-4.1-mini)', { location: `${field}.model` });
  const system = config.prompts?.[MODEL_CALL_PROMPTS.system]?.template;
  const prompt = config.prompts?.[MODEL_CALL_PROMPTS.user]?.template;
  const parameters = config.model.parameters ?? {};
  const target: TargetConfigOf<'model'> = {
    type: 'model',
    model: config.model.id,
    ...(system === undefined ? {} : { system }),
    ...(prompt === undefined ? {} : { prompt }),
    tools: (config.tools ?? []).map((t) => ({ name: t.name, description: t.description ?? '', parameters: t.parameters ?? { type: 'object', properties: {} } })),
    ...(parameters.temperature === undefined ? {} : { temperature: parameters.temperature }),
    ...(parameters.maxTokens === undefined ? {} : { maxTokens: parameters.maxTokens }),
    timeoutMs: 60_000,
  };
  const templates = Object.values(MODEL_CALL_PROMPTS).flatMap((name) => {
    const text = config.prompts?.[name]?.template;
    return text === undefined ? [] : [{ field: `${field}.prompts.${name}.template`, text }];
  });
  return { target, templates };
}
