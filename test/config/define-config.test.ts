import { describe, expect, it } from 'vitest';
import type { EvalOpsConfigInput } from '../../src/config/config-schema.js';
import { defineConfig } from '../../src/config/define-config.js';
import { EvalOpsConfigSchema } from '../../src/config/config-schema.js';

const base: EvalOpsConfigInput = {
  version: 1,
  project: 'support-bot',
  target: { type: 'module', path: './agent.ts', export: 'answer' },
  dataset: { name: 'support-cases', path: './data/cases.jsonl' },
  metrics: [{ name: 'right_tool', scorer: { type: 'tool-called', name: '{{expected.tool}}' } }],
};

describe('defineConfig', () => {
  it('returns its argument unchanged, and that argument validates', () => {
    const config = defineConfig(base);
    expect(config).toBe(base);
    expect(EvalOpsConfigSchema.safeParse(config).success).toBe(true);
  });

  it('is typed by the schema input, so typos and bad values fail to compile', () => {
    // The @ts-expect-error lines are checked by `tsc`: each must be an error, or type-checking fails.
    // @ts-expect-error misspelt top-level field
    const typo = defineConfig({ ...base, projct: 'x' });
    // @ts-expect-error unknown scorer type
    const badScorer = defineConfig({ ...base, metrics: [{ name: 'm', scorer: { type: 'nope' } }] });
    // @ts-expect-error version must be 1
    const badVersion = defineConfig({ ...base, version: 2 });
    for (const config of [typo, badScorer, badVersion]) expect(EvalOpsConfigSchema.safeParse(config).success).toBe(false);
  });
});
