import { afterEach, describe, expect, it } from 'vitest';
import { importModule } from '../../src/config/import-module.js';
import { loadConfig } from '../../src/config/load-config.js';
import { EvalOpsError } from '../../src/core/errors.js';
import { runEvaluation } from '../../src/runner/run-evaluation.js';
import { openStore, type Store } from '../../src/store/store.js';
import { tempFiles, type TempFiles } from '../support/temp-files.js';

const config = (extra: string, datasetExtra = ''): string => `version: 1
project: conv
target: { type: module, path: ./agent.mjs }
dataset:
  name: scenarios
  path: ./scenarios.jsonl
${datasetExtra}metrics:
  - name: polite
    scorer: { type: icontains, value: thanks }
${extra}`;

const AGENT = "export default (messages) => 'thanks, ' + messages.filter((m) => m.role === 'user').length + ' messages';\n";
const SCENARIOS = '{"id":"s1","scenario":{"goal":"say hi","maxTurns":3}}\n';

describe('simulatedUser config', () => {
  let files: TempFiles | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    await files?.remove();
    store = undefined;
    files = undefined;
  });

  async function load(yaml: string) {
    files = await tempFiles({ 'package.json': '{"type":"module"}', 'evalops.yaml': yaml, 'agent.mjs': AGENT, 'scenarios.jsonl': SCENARIOS });
    return loadConfig(undefined, files.dir);
  }

  async function failure(promise: Promise<unknown>): Promise<EvalOpsError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EvalOpsError);
    return error as EvalOpsError;
  }

  it('names a misspelt field with did-you-mean', async () => {
    const error = await failure(load(config('simulatedUser:\n  type: scripted\n  rulez: []\n')));
    expect(error.code).toBe('config');
    expect(error.describe()).toContain('simulatedUser.rulez: unknown field "rulez"; did you mean "rules"?');
  });

  it('refuses a rule that neither speaks nor ends, and a bad regular expression', async () => {
    const error = await failure(load(config('simulatedUser:\n  type: scripted\n  rules:\n    - { when: "(", done: true }\n    - { when: "x" }\n')));
    expect(error.message).toContain('not a valid regular expression');
    expect(error.message).toContain('needs "say"');
  });

  it('refuses a run of scenarios without a simulated user, before any run is stored', async () => {
    const loaded = await load(config(''));
    store = await openStore(':memory:');
    const error = await failure(runEvaluation(loaded, {}, { store, env: {}, importModule }));
    expect(error.code).toBe('config');
    expect(error.message).toContain('has scenarios (e.g. "s1") but no simulated user');
    const project = await store.projects.ensure('conv');
    expect(await store.runs.list(project.id)).toEqual([]);
  });

  it('runs scenarios with the dataset\'s own scripted user', async () => {
    const loaded = await load(
      config('simulatedUser: { type: model, model: "nowhere:m" }\n', '  simulatedUser:\n    type: scripted\n    rules: [{ when: "1 messages", say: "again" }]\n'),
    );
    store = await openStore(':memory:');
    const result = await runEvaluation(loaded, {}, { store, env: {}, importModule });
    expect(result.summary.results).toMatchObject({ total: 1, errors: 0 });
    expect(result.summary.metrics['polite']).toMatchObject({ n: 1, passed: 1 });
  });
});
