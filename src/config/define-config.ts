import type { EvalOpsConfigInput } from './config-schema.js';

/**
 * Types an `evalops.config.ts` for autocompletion; returns its argument unchanged. The loader
 * validates it exactly as it validates `evalops.yaml`.
 * @example
 * export default defineConfig({
 *   version: 1,
 *   project: 'support-bot',
 *   target: { type: 'module', path: './agent.ts', export: 'answer' },
 *   dataset: { name: 'support-cases', path: './data/cases.jsonl' },
 *   metrics: [{ name: 'right_tool', scorer: { type: 'tool-called', name: '{{expected.tool}}' } }],
 * });
 */
export function defineConfig(config: EvalOpsConfigInput): EvalOpsConfigInput {
  return config;
}
