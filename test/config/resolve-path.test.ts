import { describe, expect, it } from 'vitest';
import { resolveConfigPath } from '../../src/config/resolve-path.js';

describe('resolveConfigPath', () => {
  it('resolves relative paths against the config directory and keeps absolute ones', () => {
    expect(resolveConfigPath('/repo/examples/bot', './data/cases.jsonl')).toBe('/repo/examples/bot/data/cases.jsonl');
    expect(resolveConfigPath('/repo/examples/bot', '../shared/rubric.md')).toBe('/repo/examples/shared/rubric.md');
    expect(resolveConfigPath('/repo/examples/bot', '/etc/schema.json')).toBe('/etc/schema.json');
  });
});
