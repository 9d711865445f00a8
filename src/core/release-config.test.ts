import { describe, expect, it } from 'vitest';
import { diffLines, diffReleaseConfigs, releaseConfigHash, releaseConfigVariables, ReleaseConfigSchema } from './release-config.js';

describe('ReleaseConfigSchema', () => {
  it('accepts prompts, a model with parameters, tools and data', () => {
    const parsed = ReleaseConfigSchema.parse({
      prompts: { system: { template: 'You help with {{metadata.product}}.' }, user: { template: 'Q: {{input.question}}' } },
      model: { id: 'openai:gpt-4.1-mini', parameters: { temperature: 0.2, maxTokens: 300, topP: 0.9 } },
      tools: [{ name: 'lookup_order', description: 'Find an order', parameters: { type: 'object' } }],
      data: { greeting: { en: 'Hi' } },
    });
    expect(parsed.model?.parameters?.topP).toBe(0.9);
  });

  it('names the field of a bad model id, an unknown parameter and a duplicate tool', () => {
    const path = (v: unknown) => ReleaseConfigSchema.safeParse(v).error?.issues[0]?.path.join('.');
    expect(path({ model: { id: 'gpt-4' } })).toBe('model.id');
    expect(path({ model: { id: 'openai:x', parameters: { temprature: 1 } } })).toBe('model.parameters');
    expect(path({ model: { id: 'openai:x', parameters: { temperature: 3 } } })).toBe('model.parameters.temperature');
    expect(path({ tools: [{ name: 'a' }, { name: 'a' }] })).toBe('tools.1.name');
    expect(path({ prompts: { user: { text: 'x' } } })).toBe('prompts.user.template');
    expect(path({ promts: {} })).toBe('');
  });
});

describe('releaseConfigHash', () => {
  it('is the same for the same content in any key order and differs when content differs', () => {
    const a = releaseConfigHash({ model: { id: 'openai:a', parameters: { temperature: 0, maxTokens: 5 } }, data: { x: 1 } });
    const b = releaseConfigHash({ data: { x: 1 }, model: { parameters: { maxTokens: 5, temperature: 0 }, id: 'openai:a' } });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(releaseConfigHash({ data: { x: 2 } })).not.toBe(releaseConfigHash({ data: { x: 1 } }));
  });
});

describe('releaseConfigVariables', () => {
  it('lists each prompt placeholder once', () => {
    expect(releaseConfigVariables({ prompts: { user: { template: '{{input.q}} {{ metadata.lang }} {{input.q}}' } } })).toEqual({ user: ['input.q', 'metadata.lang'] });
  });
});

describe('diffReleaseConfigs', () => {
  it('reports changed, added and removed paths; tools by name; a reorder is no change', () => {
    const changes = diffReleaseConfigs(
      { model: { id: 'openai:a' }, tools: [{ name: 't1' }, { name: 't2', description: 'x' }], data: { keep: 1, gone: true } },
      { model: { id: 'openai:b', parameters: { temperature: 0 } }, tools: [{ name: 't2', description: 'y' }, { name: 't1' }], data: { keep: 1 } },
    );
    expect(changes).toEqual([
      { path: 'data.gone', kind: 'removed', before: true },
      { path: 'model.id', kind: 'changed', before: 'openai:a', after: 'openai:b' },
      { path: 'model.parameters', kind: 'added', after: { temperature: 0 } },
      { path: 'tools.t2.description', kind: 'changed', before: 'x', after: 'y' },
    ]);
  });

  it('gives a line diff for a changed multi-line template and nothing for equal configs', () => {
    const [change] = diffReleaseConfigs({ prompts: { s: { template: 'a\nb\nc' } } }, { prompts: { s: { template: 'a\nB\nc' } } });
    expect(change?.lines).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: '+', text: 'B' },
      { op: ' ', text: 'c' },
    ]);
    expect(diffReleaseConfigs({ data: { a: [1, 2] } }, { data: { a: [1, 2] } })).toEqual([]);
  });

  it('diffLines keeps common lines', () => {
    expect(diffLines('x\ny', 'x\ny\nz').map((l) => l.op).join('')).toBe('  +');
  });
});
