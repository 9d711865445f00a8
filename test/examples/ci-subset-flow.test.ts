import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { importModule } from '../../src/config/import-module.js';
import { loadConfig } from '../../src/config/load-config.js';
import { runGate } from '../../src/gate/gate-service.js';
import { runEvaluation } from '../../src/runner/run-evaluation.js';
import { openStore, type Store } from '../../src/store/store.js';

/**
 * The PR/main flow of examples/ci/evalops-gate.yml: the run step's command as GitHub would expand it
 * for a pull request and for a push to main, then that flow on the services (SQLite): main's full run
 * is approved and becomes the baseline; a PR runs the subset and is gated in PR mode against it; after
 * the merge, main's full run is gated against main's last full run, never against a PR subset run.
 */
describe('examples/ci: the subset on pull requests, the full suite on main', () => {
  const wf = parse(readFileSync('examples/ci/evalops-gate.yml', 'utf8')) as { jobs: { gate: { steps: { name?: string; run?: string }[] } } };
  const runStep = wf.jobs.gate.steps.find((s) => s.run?.includes('npx evalops run'))?.run ?? '';
  const expand = (event: 'pull_request' | 'push'): string =>
    runStep.replace(/\$\{\{\s*github\.event_name == 'pull_request' && '([^']*)' \|\| '([^']*)'\s*\}\}/g, (_, pr: string, other: string) => (event === 'pull_request' ? pr : other));

  it('runs --subset pr on pull requests and the full suite on main', () => {
    expect(expand('pull_request')).toMatch(/npx evalops run --subset pr /);
    expect(expand('push')).not.toMatch(/--subset/);
  });

  const dir = mkdtempSync(join(tmpdir(), 'evalops-ci-subset-'));
  let store: Store;
  const rows = Array.from({ length: 600 }, (_, i) => JSON.stringify({ id: `e${i}`, input: { i }, slices: [`intent:${i % 6 === 5 ? 'cancel' : 'other'}`] }));
  writeFileSync(join(dir, 'cases.jsonl'), `${rows.join('\n')}\n`);
  writeFileSync(join(dir, 'good.mjs'), 'export default async () => "ANSWER";\n');
  writeFileSync(join(dir, 'broken.mjs'), 'export default async ({ i }) => (i % 6 === 5 ? "-" : "ANSWER");\n');
  const config = (agent: string): string => {
    const file = join(dir, `${agent}.yaml`);
    writeFileSync(file, ['version: 1', 'project: ci', `target: { type: module, path: ./${agent}.mjs }`, 'dataset: { name: cases, path: ./cases.jsonl }', 'metrics:', '  - { name: answer, owner: qa@example.com, scorer: { type: contains, value: ANSWER } }', 'run: { cache: false }', 'subsets:', '  pr: { size: 120 }', 'gate:', '  rules:', '    - { metric: answer, noRegression: true, perSlice: true, action: block }', '    - { metric: answer, min: 0.5, action: block }', ''].join('\n'));
    return file;
  };
  /** The workflow's two steps for one event: run (with the flags the step expands to), then gate. */
  const ciJob = async (event: 'pull_request' | 'push', agent: string) => {
    const subset = /--subset (\S+)/.exec(expand(event))?.[1];
    const loaded = await loadConfig(config(agent));
    const run = await runEvaluation(loaded, subset ? { subset } : {}, { store, env: {}, importModule });
    return runGate(store, { project: 'ci', gate: loaded.config.gate! }, { actor: 'github-actions/test', candidate: run.summary.runId });
  };

  beforeAll(async () => {
    store = await openStore(`sqlite:${join(dir, 'db.sqlite')}`);
  });
  afterAll(async () => store.close());

  it('main → PR (blocked, then fixed) → main: PR gates run on the subset in PR mode, main decides on the full suite', async () => {
    const first = await ciJob('push', 'good');
    expect(first).toMatchObject({ mode: 'full', outcome: 'approve' });
    const mainRun = first.candidate.runId;

    const broken = await ciJob('pull_request', 'broken');
    expect(broken).toMatchObject({ mode: 'pr', outcome: 'block', exitCode: 1 });
    expect(broken.baseline.runId).toBe(mainRun);
    expect(broken.subset).toMatchObject({ name: 'pr', size: 120, datasetSize: 600 });
    expect(broken.pairing).toMatchObject({ paired: 120, baselineOnly: 0 });

    const fixed = await ciJob('pull_request', 'good');
    expect(fixed).toMatchObject({ mode: 'pr', outcome: 'approve' });
    expect(fixed.warnings.join('\n')).toMatch(/the full suite decides on main/);

    const merged = await ciJob('push', 'good');
    expect(merged).toMatchObject({ mode: 'full', outcome: 'approve' });
    expect(merged.baseline.runId).toBe(mainRun); // not the approved PR subset run
    expect(merged.pairing).toMatchObject({ paired: 600 });
  });
});
