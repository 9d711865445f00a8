import { describe, expect, it } from 'vitest';
import { TargetConfigSchema } from './target-config.js';
import { targetLabel, variantName } from './target-label.js';

describe('targetLabel', () => {
  const label = (raw: unknown) => targetLabel(TargetConfigSchema.parse(raw));

  it('names each kind of target by what a person recognises, with its version', () => {
    expect(label({ type: 'model', model: 'openai:gpt-4.1-mini', version: 'v2' })).toBe('openai:gpt-4.1-mini v2');
    expect(label({ type: 'module', path: './bot.ts', export: 'answer' })).toBe('./bot.ts#answer');
    expect(label({ type: 'module', path: './bot.ts' })).toBe('./bot.ts');
    expect(label({ type: 'command', command: ['python', 'agent.py'] })).toBe('python agent.py');
  });

  it('leaves out what may hold secrets: the query of a URL, headers and env', () => {
    expect(label({ type: 'http', url: 'https://bot.internal/chat?key=s3cret', headers: { authorization: 'Bearer s3cret' } })).toBe('POST https://bot.internal/chat');
    expect(label({ type: 'command', command: 'node bot.js', env: { TOKEN: 's3cret' } })).toBe('node bot.js');
  });

  it('clips a long label to 80 characters', () => {
    expect(label({ type: 'command', command: 'x'.repeat(200) })).toHaveLength(80);
  });
});

describe('variantName', () => {
  it('joins the label, or the type when a run has none, with a short hash', () => {
    expect(variantName({ type: 'model', variant: '0123456789abcdef', label: 'openai:gpt-4.1' })).toBe('openai:gpt-4.1 · 01234567');
    expect(variantName({ type: 'module', variant: '0123456789abcdef', label: null })).toBe('module · 01234567');
  });
});
