import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { SCORER_TYPES } from '../../src/core/scorer-config.js';
import { EvalOpsError } from '../../src/core/errors.js';

const DEFINE_CONFIG = fileURLToPath(new URL('../../src/config/define-config.ts', import.meta.url));

let root: string;
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'evalops-config-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh directory holding the given files. */
async function project(files: Record<string, string>): Promise<string> {
  const dir = join(root, `p${++counter}`);
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

/** Loads and expects an EvalOpsError; returns it. */
async function loadError(dir: string, path?: string): Promise<EvalOpsError> {
  const error: unknown = await loadConfig(path, dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EvalOpsError);
  return error as EvalOpsError;
}

function issuesOf(error: EvalOpsError): { path: string; line?: number; message: string }[] {
  return (error.details as { issues: { path: string; line?: number; message: string }[] }).issues;
}

const HEAD = `version: 1
project: support-bot
target:
  type: module
  path: ./agent.ts
  export: answer
dataset:
  name: support-cases
  path: ./data/cases.jsonl
`;

const EVERY_SCORER = `${HEAD}metrics:
  - name: cites_policy
    owner: product@example.com
    failureClass: answer_quality
    lifecycle: regression
    scorer: { type: contains, value: "{{expected.keyword}}" }
  - { name: m_equals, scorer: { type: equals, value: { a: 1 } } }
  - { name: m_icontains, scorer: { type: icontains, value: refund } }
  - { name: m_starts_with, scorer: { type: starts-with, value: Hello } }
  - { name: m_contains_any, scorer: { type: contains-any, values: [a, b] } }
  - { name: m_contains_all, scorer: { type: contains-all, values: [a, b], not: true } }
  - { name: m_regex, scorer: { type: regex, pattern: "^A\\\\d+", flags: i } }
  - { name: m_is_json, scorer: { type: is-json } }
  - { name: m_json_schema, scorer: { type: json-schema, schema: ./schema.json } }
  - { name: m_length, scorer: { type: length, minWords: 1, maxWords: 60 } }
  - { name: m_levenshtein, scorer: { type: levenshtein, value: hello, threshold: 0.8 } }
  - name: right_tool
    failureClass: tool_selection
    scorer: { type: tool-called, name: "{{expected.tool}}" }
  - { name: m_tool_not_called, scorer: { type: tool-not-called, name: issue_refund } }
  - { name: m_tool_args, failureClass: tool_arguments, scorer: { type: tool-args, name: issue_refund, arguments: { orderId: "{{expected.orderId}}" } } }
  - { name: m_tool_sequence, scorer: { type: tool-sequence, names: [lookup_order, issue_refund], strict: true } }
  - { name: m_latency, failureClass: latency, scorer: { type: latency, maxMs: 2000 } }
  - { name: m_cost, failureClass: cost, scorer: { type: cost, maxUsd: 0.01 } }
  - { name: m_refusal, failureClass: policy_boundary, scorer: { type: refusal, not: true } }
  - { name: m_function, scorer: { type: function, path: ./scorers/policy.ts, export: noLeak } }
  - { name: m_command, scorer: { type: command, command: [python3, ./scorers/grade.py] } }
  - name: helpfulness
    scorer:
      type: judge
      model: openai:gpt-4.1-mini
      rubric: ./rubrics/helpfulness.md
      labels: [poor, adequate, excellent]
      pass: [adequate, excellent]
  - { name: m_similarity, scorer: { type: similarity, value: "{{expected.answer}}", threshold: 0.7 } }
  - { name: m_human, scorer: { type: human, labels: [bad, good], pass: [good] } }
  - { name: m_goal, scorer: { type: goal-completed, model: openai:gpt-4.1-mini } }
  - { name: m_turns, scorer: { type: turns, max: 6 } }
  - { name: m_per_turn, scorer: { type: per-turn, aggregate: mean, min: 0.7, scorer: { type: icontains, value: "{{expected.keyword}}" } } }
  - { name: m_repeated, scorer: { type: repeated-question, threshold: 0.85, who: assistant } }
  - { name: m_frustration, scorer: { type: frustration, maxSignals: 1 } }
  - { name: m_recovered, failureClass: recovery_behavior, scorer: { type: recovered } }
gate:
  baseline: last-approved
  rules:
    - { metric: cites_policy, noRegression: true, perSlice: true, action: block }
    - { metric: right_tool, min: 0.95, action: require_approval }
    - { failureClass: policy_boundary, maxFailures: 0, action: block }
    - { metric: cost_per_success, max: 0.02, action: narrow, rolloutPercent: 10 }
`;

/** HEAD (9 lines) plus one metric: `metrics` on line 10, its name on 11, its scorer on 12. */
const ONE_METRIC = (scorer: string, extra = ''): string => `${HEAD}metrics:
  - name: cites_policy
    scorer: ${scorer}
${extra}`;

describe('loadConfig', () => {
  it('loads a YAML config that uses every scorer type, applying defaults', async () => {
    const dir = await project({ 'evalops.yaml': EVERY_SCORER });
    const loaded = await loadConfig(undefined, dir);
    expect(loaded.path).toBe(join(dir, 'evalops.yaml'));
    expect(loaded.baseDir).toBe(dir);
    const { config } = loaded;
    expect(new Set(config.metrics.map((m) => m.scorer.type))).toEqual(new Set(SCORER_TYPES));
    expect(config.project).toBe('support-bot');
    expect(config.target).toEqual({ type: 'module', path: './agent.ts', export: 'answer' });
    expect(config.run).toEqual({ concurrency: 8, repeat: 1, retries: 3, cache: true });
    expect(config.metrics[0]).toMatchObject({ owner: 'product@example.com', failureClass: 'answer_quality', lifecycle: 'regression' });
    expect(config.metrics[1]?.lifecycle).toBe('regression');
    expect(config.gate?.baseline).toBe('last-approved');
    expect(config.gate?.rules[0]).toMatchObject({ metric: 'cites_policy', noRegression: true, perSlice: true, useInterval: false });
    expect(config.gate?.rules[3]).toMatchObject({ metric: 'cost_per_success', action: 'narrow', rolloutPercent: 10 });
  });

  it('takes an explicit path relative to cwd and resolves baseDir to its directory', async () => {
    const dir = await project({});
    await mkdir(join(dir, 'sub'));
    const extra = 'run: { concurrency: 2, cache: false }\nmodels: { judge: "openai:gpt-4.1-mini" }\n';
    await writeFile(join(dir, 'sub', 'custom.yml'), ONE_METRIC('{ type: is-json }', extra));
    const loaded = await loadConfig('sub/custom.yml', dir);
    expect(loaded.baseDir).toBe(join(dir, 'sub'));
    expect(loaded.config.run).toEqual({ concurrency: 2, repeat: 1, retries: 3, cache: false });
    expect(loaded.config.models).toEqual({ judge: 'openai:gpt-4.1-mini' });
  });

  it('prefers evalops.yaml over evalops.config.ts when both exist', async () => {
    const dir = await project({ 'evalops.yaml': ONE_METRIC('{ type: is-json }'), 'evalops.config.ts': 'export default 42;\n' });
    expect((await loadConfig(undefined, dir)).path).toBe(join(dir, 'evalops.yaml'));
  });

  it('loads evalops.config.ts written with defineConfig, validated by the same schema', async () => {
    const dir = await project({
      'evalops.config.ts': `import { defineConfig } from ${JSON.stringify(DEFINE_CONFIG)};
export default defineConfig({
  version: 1,
  project: 'ts-project',
  target: { type: 'http', url: 'http://127.0.0.1:9/answer' },
  dataset: { name: 'cases', path: './cases.jsonl' },
  metrics: [{ name: 'right_tool', failureClass: 'tool_selection', scorer: { type: 'tool-called', name: '{{expected.tool}}' } }],
  gate: { rules: [{ metric: 'right_tool', min: 0.9, action: 'block' }] },
});
`,
    });
    const { config, path } = await loadConfig(undefined, dir);
    expect(path).toBe(join(dir, 'evalops.config.ts'));
    expect(config.project).toBe('ts-project');
    expect(config.target).toMatchObject({ type: 'http', method: 'POST', timeoutMs: 30_000 });
    expect(config.gate?.baseline).toBe('last-approved');
  });

  it('accepts a named `config` export from an .mjs file', async () => {
    const dir = await project({
      'evalops.config.mjs': `export const config = {
  version: 1, project: 'js', target: { type: 'command', command: ['node', 'bot.js'] },
  dataset: { name: 'cases', path: './cases.csv' },
  metrics: [{ name: 'ok', scorer: { type: 'is-json' } }],
};
`,
    });
    const { config } = await loadConfig(undefined, dir);
    expect(config.target).toMatchObject({ type: 'command', output: 'json' });
  });

  it('reports TS config issues by field path, without a line', async () => {
    const dir = await project({
      'evalops.config.ts': `export default {
  version: 1, project: 'ts', target: { type: 'module', path: './a.ts' },
  dataset: { name: 'cases', path: './c.jsonl' },
  metrics: [{ name: 'ok', scorer: { type: 'contians', value: 'x' } }],
};
`,
    });
    const error = await loadError(dir);
    expect(error.code).toBe('config');
    expect(error.location).toBe('evalops.config.ts metrics.0.scorer.type');
    expect(error.describe()).toMatch(/^evalops\.config\.ts metrics\.0\.scorer\.type: Invalid option: expected one of "equals"\|"contains"\|/);
    expect(error.message).toMatch(/\(got "contians"; did you mean "contains"\?\)$/);
  });

  it('reports a config module that cannot be loaded as a config error', async () => {
    const dir = await project({ 'evalops.config.mjs': 'export default {\n' });
    const error = await loadError(dir);
    expect(error.code).toBe('config');
    expect(error.location).toBe('evalops.config.mjs');
    expect(error.message).toMatch(/^could not load evalops\.config\.mjs: /);
  });

  it('refuses a config module without a default or `config` export', async () => {
    const dir = await project({ 'evalops.config.mjs': 'export const settings = {};\n' });
    const error = await loadError(dir);
    expect(error.code).toBe('config');
    expect(error.message).toContain('export default defineConfig');
  });
});

describe('loadConfig with a bad config', () => {
  it('requires `version: 1` with a message naming the file', async () => {
    const dir = await project({ 'evalops.yaml': HEAD.replace('version: 1\n', '') });
    const error = await loadError(dir);
    expect(error.code).toBe('config');
    expect(error.describe()).toBe('evalops.yaml: `version: 1` is required (this EvalOps reads config version 1)');
  });

  it('refuses another version, at the line of `version`', async () => {
    const dir = await project({ 'evalops.yaml': `# a comment\n${HEAD.replace('version: 1', 'version: 2')}` });
    const error = await loadError(dir);
    expect(error.describe()).toBe('evalops.yaml:2 version: unsupported config version 2; this EvalOps reads version 1');
    expect(issuesOf(error)).toHaveLength(1);
  });

  it('reports an unknown scorer type with its line and the allowed types', async () => {
    const dir = await project({ 'evalops.yaml': ONE_METRIC('{ type: nope, value: x }') });
    const error = await loadError(dir);
    expect(error.code).toBe('config');
    expect(error.location).toBe('evalops.yaml:12 metrics.0.scorer.type');
    expect(error.describe()).toContain('evalops.yaml:12 metrics.0.scorer.type: Invalid option: expected one of "equals"|"contains"|');
    expect(error.message).toContain('"recovered" (got "nope")');
    expect(issuesOf(error)).toEqual([expect.objectContaining({ path: 'metrics.0.scorer.type', line: 12 })]);
  });

  it('names an unknown field, at the line of its key, at any depth', async () => {
    const yaml = `${ONE_METRIC('{ type: contains, value: x }')}runs:\n  concurrency: 4\n`;
    const nested = ONE_METRIC('\n      type: contains\n      value: x\n      caseSensitive: true');
    const top = await loadError(await project({ 'evalops.yaml': yaml }));
    expect(top.describe()).toBe('evalops.yaml:13 runs: unknown field "runs"; did you mean "run"?');
    const deep = await loadError(await project({ 'evalops.yaml': nested }));
    expect(deep.describe()).toBe('evalops.yaml:15 metrics.0.scorer.caseSensitive: unknown field "caseSensitive"');
  });

  it('refuses run settings out of range and a model without a provider', async () => {
    const extra = 'run: { concurrency: 0 }\nmodels: { judge: gpt-4.1-mini }\n';
    const error = await loadError(await project({ 'evalops.yaml': ONE_METRIC('{ type: is-json }', extra) }));
    expect(issuesOf(error).map((i) => `${i.line} ${i.path}`)).toEqual(['13 run.concurrency', '14 models.judge']);
    expect(issuesOf(error)[1]?.message).toBe('a model is "provider:model", e.g. "openai:gpt-4.1-mini"');
  });

  it('refuses a metric name that is not lower snake_case', async () => {
    const dir = await project({ 'evalops.yaml': ONE_METRIC('{ type: is-json }').replace('name: cites_policy', 'name: Cites-Policy') });
    const error = await loadError(dir);
    expect(error.location).toBe('evalops.yaml:11 metrics.0.name');
    expect(error.message).toContain('lower-case letters, digits and _');
  });

  it('refuses duplicate metric names, naming the duplicate', async () => {
    const extra = '  - name: cites_policy\n    scorer: { type: is-json }\n';
    const dir = await project({ 'evalops.yaml': ONE_METRIC('{ type: is-json }', extra) });
    const error = await loadError(dir);
    expect(error.describe()).toBe('evalops.yaml:13 metrics.1.name: duplicate metric name "cites_policy" (also metrics.0)');
  });

  it('refuses a gate rule on an unknown metric, listing the known ones', async () => {
    const gate = 'gate:\n  rules:\n    - { metric: cites_polcy, min: 0.9, action: block }\n    - { metric: latency_p95, max: 1500, action: block }\n';
    const dir = await project({ 'evalops.yaml': ONE_METRIC('{ type: is-json }', gate) });
    const error = await loadError(dir);
    expect(issuesOf(error)).toHaveLength(1);
    expect(error.location).toBe('evalops.yaml:15 gate.rules.0.metric');
    expect(error.message).toBe('unknown metric "cites_polcy"; configured: cites_policy; built-in: error_rate, latency_p95, cost_per_success');
  });

  it('refuses `narrow` without rolloutPercent', async () => {
    const gate = 'gate:\n  rules:\n    - { metric: cost_per_success, max: 0.02, action: narrow }\n';
    const dir = await project({ 'evalops.yaml': ONE_METRIC('{ type: is-json }', gate) });
    const error = await loadError(dir);
    expect(error.location).toBe('evalops.yaml:15 gate.rules.0.rolloutPercent');
    expect(error.message).toContain('action `narrow` needs `rolloutPercent`');
  });

  it('accepts a minCoverage rule and refuses a broken one at its line and field', async () => {
    const ok = 'gate:\n  rules:\n    - { minCoverage: 0.8, days: 14, action: require_approval }\n    - { minCoverage: 0.5, action: block }\n';
    const { config } = await loadConfig(undefined, await project({ 'evalops.yaml': ONE_METRIC('{ type: is-json }', ok) }));
    expect(config.gate?.rules[0]).toMatchObject({ minCoverage: 0.8, days: 14, action: 'require_approval' });
    expect(config.gate?.rules[1]).not.toHaveProperty('days');
    const bad = 'gate:\n  rules:\n    - { metric: cites_policy, min: 0.9, action: block }\n    - { minCoverage: 80, action: block }\n    - { minCoverage: 0.8, metric: cites_policy, action: block }\n    - { metric: cites_policy, min: 0.9, days: 7, action: block }\n    - { minCoverage: 0.8, days: 0, action: block }\n';
    const issues = issuesOf(await loadError(await project({ 'evalops.yaml': ONE_METRIC('{ type: is-json }', bad) })));
    expect(issues.map((i) => `${i.line} ${i.path}`)).toEqual(['16 gate.rules.1.minCoverage', '17 gate.rules.2.metric', '18 gate.rules.3.days', '19 gate.rules.4.days']);
    expect(issues[1]?.message).toContain('a minCoverage rule is on the dataset');
    expect(issues[2]?.message).toContain('days is the window of a `minCoverage` rule');
  });

  it('collects every issue, not only the first, sorted by line', async () => {
    const text = `${HEAD.replace('project: support-bot', 'project: Support Bot')}metrics:
  - name: a
    scorer: { type: nope }
  - name: a
    scorer: { type: length, maxWords: -1 }
gate:
  rules:
    - { metric: ghost, action: block, min: 0.5 }
`;
    const error = await loadError(await project({ 'evalops.yaml': text }));
    const issues = issuesOf(error);
    expect(issues.map((i) => `${i.line} ${i.path}`)).toEqual([
      '2 project',
      '12 metrics.0.scorer.type',
      '13 metrics.1.name',
      '14 metrics.1.scorer.maxWords',
      '17 gate.rules.0.metric',
    ]);
    // Every issue after the first is printed on its own line of the message.
    expect(error.describe().split('\n')).toHaveLength(5);
  });

  it('reports a YAML syntax error with its line', async () => {
    const dir = await project({ 'evalops.yaml': 'version: 1\nproject: x\ntarget:\n  type: module\n   path: ./a.ts\n' });
    const error = await loadError(dir);
    expect(error.code).toBe('config');
    expect(error.location).toBe('evalops.yaml:4');
    expect(error.message).toMatch(/^YAML syntax error: Nested mappings are not allowed/);
  });

  it('refuses a key given twice, at the line of the second', async () => {
    const dir = await project({ 'evalops.yaml': 'version: 1\nproject: a\nproject: b\n' });
    const error = await loadError(dir);
    expect(error.describe()).toBe('evalops.yaml:3: YAML syntax error: Map keys must be unique');
  });

  it('reports an empty file and a non-mapping root', async () => {
    expect((await loadError(await project({ 'evalops.yaml': '' }))).message).toContain('the config is empty');
    expect((await loadError(await project({ 'evalops.yaml': '- 1\n- 2\n' }))).message).toContain('the config is a list');
  });

  it('fails with a usage error when the directory has no config', async () => {
    const dir = await project({ 'README.md': '# nothing here\n' });
    const error = await loadError(dir);
    expect(error.code).toBe('usage');
    expect(error.message).toBe(`no evalops.yaml or evalops.config.ts in ${dir}; run \`evalops init\` or pass -c FILE`);
  });

  it('fails with a usage error when the given file does not exist', async () => {
    const dir = await project({});
    const error = await loadError(dir, 'missing.yaml');
    expect(error.code).toBe('usage');
    expect(error.message).toContain(join(dir, 'missing.yaml'));
  });
});
