import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startScriptedHttpServer, type ScriptedHttpServer } from '../support/scripted-http-server.js';
import { runCli } from './run-cli.js';

/**
 * The response cache never serves outputs of code that changed: a command target's scripts and its
 * `files:` are part of its identity, an http target is cached across runs only with a `cache.key`, and
 * every run served from the cache says from which run.
 */
describe('the response cache: what identifies a result (end to end)', () => {
  const project = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-cache-'));
    const write = (name: string, text: string): void => {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    };
    for (const [name, text] of Object.entries(files)) write(name, text);
    return { dir, write, env: { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` } };
  };
  const dataset = '{"id":"e1","input":{"q":"one"}}\n{"id":"e2","input":{"q":"two"}}\n';
  const run = async (p: ReturnType<typeof project>, args: string[] = [], env: Record<string, string> = {}) => {
    const res = await runCli(['run', '--json', ...args], { cwd: p.dir, env: { ...p.env, ...env } });
    expect(res.code, res.stderr).toBe(0);
    return { doc: JSON.parse(res.stdout), stderr: res.stderr };
  };

  it('gives a fresh, rescored run when the script a command target runs is edited (config unchanged)', async () => {
    const p = project({
      'evalops.yaml': 'version: 1\nproject: p\ntarget: { type: command, command: "sh ./agent.sh" }\ndataset: { name: d, path: ./d.jsonl }\nmetrics:\n  - { name: fixed, scorer: { type: contains, value: fixed } }\n',
      'agent.sh': `echo '"broken answer"'\n`,
      'd.jsonl': dataset,
    });
    const first = (await run(p)).doc;
    expect(first.metrics.fixed).toMatchObject({ passed: 0, failed: 2 });
    const same = (await run(p)).doc;
    expect(same.results).toMatchObject({ cached: 2, cachedFrom: [{ runId: first.runId, results: 2, at: expect.any(String) }] });

    p.write('agent.sh', `echo '"fixed answer"'\n`);
    const edited = (await run(p)).doc;
    expect(edited.target.variant).not.toBe(first.target.variant);
    expect(edited.results.cached).toBe(0);
    expect(edited.results).not.toHaveProperty('cachedFrom');
    expect(edited.metrics.fixed).toMatchObject({ passed: 2, failed: 0 });
  });

  it('gives a fresh run when a file matched by files: changes, and warns about a glob that matches nothing', async () => {
    const p = project({
      'evalops.yaml':
        'version: 1\nproject: p\ntarget: { type: command, command: "sh ./agent.sh", files: ["lib/**/*.json", "prompts/*.md"] }\ndataset: { name: d, path: ./d.jsonl }\nmetrics:\n  - { name: fixed, scorer: { type: contains, value: fixed } }\n',
      'agent.sh': 'cat lib/data/answer.json\n',
      'lib/data/answer.json': '"broken answer"\n',
      'd.jsonl': dataset,
    });
    const first = await run(p);
    expect(first.stderr).toContain('notice: target.files: "prompts/*.md" matches no file');
    expect(first.doc.notices).toEqual(expect.arrayContaining([expect.stringContaining('"prompts/*.md" matches no file')]));
    expect((await run(p)).doc.results.cached).toBe(2);
    p.write('lib/data/answer.json', '"fixed answer"\n');
    const edited = (await run(p)).doc;
    expect(edited.results.cached).toBe(0);
    expect(edited.metrics.fixed.passed).toBe(2);
  });

  describe('http target', () => {
    let server: ScriptedHttpServer;
    let deployment = 'v1';
    beforeAll(async () => {
      server = await startScriptedHttpServer((req, res) => sendJson(res, 200, { answer: `${deployment} ${(JSON.parse(req.body) as { input: { q: string } }).input.q}` }));
    });
    afterAll(() => server.close());
    const config = (cache: string) =>
      `version: 1\nproject: p\ntarget: { type: http, url: "${server.url}/chat", responsePath: answer${cache} }\ndataset: { name: d, path: ./d.jsonl }\nmetrics:\n  - { name: v2, scorer: { type: contains, value: v2 } }\ngate:\n  rules:\n    - { metric: v2, min: 0.5, action: block }\n`;

    it('is never served from an earlier run without cache.key, and says so', async () => {
      const p = project({ 'evalops.yaml': config(''), 'd.jsonl': dataset });
      const before = server.requests.length;
      deployment = 'v1';
      const first = await run(p);
      expect(first.stderr).toMatch(/notice: cache: the http target has no cache\.key/);
      deployment = 'v2'; // redeployed behind the same URL
      const second = await run(p);
      expect(second.doc.results.cached).toBe(0);
      expect(second.doc.metrics.v2.passed).toBe(2);
      expect(server.requests.length - before).toBe(4);
    });

    it('is served from the cache with a cache.key, and the run and the gate say how many, from which run and when', async () => {
      const p = project({ 'evalops.yaml': config(', cache: { key: "build-{{env.DEPLOY_SHA}}" }'), 'd.jsonl': dataset });
      deployment = 'v2';
      const first = await run(p, [], { DEPLOY_SHA: 'abc123' });
      expect(first.stderr).not.toMatch(/cache\.key/);
      const before = server.requests.length;
      const terminal = await runCli(['run'], { cwd: p.dir, env: { ...p.env, DEPLOY_SHA: 'abc123' } });
      expect(terminal.code, terminal.stderr).toBe(0);
      expect(server.requests.length).toBe(before);
      expect(terminal.stdout).toMatch(new RegExp(`2 of 2 results came from the response cache: 2 from run ${first.doc.runId} \\(recorded \\d{4}-\\d\\d-\\d\\dT`));

      const gate = await runCli(['gate', '--json'], { cwd: p.dir, env: p.env });
      const decision = JSON.parse(gate.stdout);
      expect(decision.warnings).toEqual(expect.arrayContaining([expect.stringContaining(`2 of 2 results came from the response cache: 2 from run ${first.doc.runId}`)]));

      const cachedAgain = (await run(p, [], { DEPLOY_SHA: 'abc123' })).doc;
      expect(cachedAgain.results.cachedFrom).toEqual([{ runId: first.doc.runId, results: 2, at: expect.any(String) }]);
      const redeployed = await run(p, [], { DEPLOY_SHA: 'def456' });
      expect(redeployed.doc.results.cached).toBe(0);
      expect(server.requests.length).toBe(before + 2);

      const paired = await runCli(['gate', '--candidate', redeployed.doc.runId, '--baseline', cachedAgain.runId, '--json'], { cwd: p.dir, env: p.env });
      const warnings = JSON.parse(paired.stdout).warnings as string[];
      expect(warnings).toEqual(expect.arrayContaining([expect.stringContaining(`baseline run ${cachedAgain.runId}: 2 of 2 results came from the response cache: 2 from run ${first.doc.runId}`)]));
      expect(warnings.some((w) => w.startsWith('candidate run'))).toBe(false);
    });

    it('refuses a cache key that renders empty with exit 2 naming target.cache.key', async () => {
      const p = project({ 'evalops.yaml': config(', cache: { key: "{{env.DEPLOY_SHA}}" }'), 'd.jsonl': dataset });
      const res = await runCli(['run', '--json'], { cwd: p.dir, env: { ...p.env, DEPLOY_SHA: '' } });
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('target.cache.key');
      expect(res.stderr).toMatch(/DEPLOY_SHA is not set or empty/);
      expect(res.stderr).not.toMatch(/\n\s+at /);
    });
  });
});
