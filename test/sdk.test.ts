import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importModule, loadConfig, openStore, runEvaluation, runWithSummary } from '../src/index.js';

describe('SDK', () => {
  it('runs an evaluation from an evalops.config.ts and reads it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evalops-sdk-'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(join(dir, 'cases.jsonl'), '{"id":"1","input":{"n":2},"expected":4}\n{"id":"2","input":{"n":3},"expected":9}\n{"id":"3","input":{"n":4},"expected":15}\n');
    writeFileSync(
      join(dir, 'evalops.config.ts'),
      `import { defineConfig } from '${join(process.cwd(), 'src/index.js').replace(/\\.js$/, '.ts')}';
export default defineConfig({
  version: 1,
  project: 'sdk',
  target: { type: 'module', path: './square.ts', export: 'square' },
  dataset: { name: 'squares', path: './cases.jsonl' },
  metrics: [{ name: 'exact', owner: 'math@example.com', scorer: { type: 'equals', value: '{{expected}}' } }],
});
`,
    );
    writeFileSync(join(dir, 'square.ts'), 'export const square = (input: { n: number }): number => input.n * input.n;\n');
    const store = await openStore(':memory:');
    try {
      const result = await runEvaluation(await loadConfig(undefined, dir), {}, { store, env: {}, importModule });
      expect(result.summary.metrics['exact']).toMatchObject({ n: 3, passed: 2, failed: 1, owner: 'math@example.com' });
      const back = await runWithSummary(store, result.summary.runId);
      expect(back.summary.metrics['exact']?.passRate).toBeCloseTo(2 / 3, 10);
    } finally {
      await store.close();
    }
  });
});
