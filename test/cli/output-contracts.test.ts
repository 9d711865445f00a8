import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startScriptedHttpServer, type ScriptedHttpServer } from '../support/scripted-http-server.js';
import { runCli } from './run-cli.js';

/** `output: json` and `responsePath` are contracts: a response that breaks them is a result error. */
describe('target output contracts (end to end)', () => {
  const project = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-contract-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return { dir, env: { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` } };
  };
  const dataset = '{"id":"good","input":{"q":"good"}}\n{"id":"crash","input":{"q":"crash"}}\n';
  const failures = async (p: ReturnType<typeof project>, runId: string) => {
    const show = await runCli(['runs', 'show', runId, '--failures', '--json'], { cwd: p.dir, env: p.env });
    expect(show.code, show.stderr).toBe(0);
    return (JSON.parse(show.stdout).items as { exampleId: string; error?: string }[]).filter((r) => r.error !== undefined);
  };

  it('makes prose from an output: json command a result error naming the example and quoting its start', async () => {
    const traceback = `Traceback (most recent call last):\n  File "agent.py", line 3\nKeyError: ${'x'.repeat(300)}`;
    const p = project({
      'evalops.yaml': 'version: 1\nproject: p\ntarget: { type: command, command: "node ./agent.mjs", output: json }\ndataset: { name: d, path: ./d.jsonl }\nmetrics:\n  - { name: not_refused, scorer: { type: refusal, not: true } }\n',
      'agent.mjs': `import { readFileSync } from 'node:fs';\nconst input = JSON.parse(readFileSync(0, 'utf8'));\nif (input.q === 'crash') process.stdout.write(${JSON.stringify(traceback)});\nelse process.stdout.write(JSON.stringify('a fine answer'));\n`,
      'd.jsonl': dataset,
    });
    const res = await runCli(['run', '--json'], { cwd: p.dir, env: p.env });
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc.results.errors).toBe(1);
    expect(doc.metrics.not_refused).toMatchObject({ n: 1, passed: 1 });
    const errors = await failures(p, doc.runId);
    expect(errors.map((e) => e.exampleId)).toEqual(['crash']);
    expect(errors[0]?.error).toContain('example crash: output is json but the command printed something that is not JSON: "Traceback (most recent call last):\\n  File \\"agent.py\\"');
    expect(errors[0]?.error).toContain(`KeyError: ${'x'.repeat(100)}`);
    expect(errors[0]?.error).not.toContain('x'.repeat(200));
  });

  it('keeps prose as the answer with output: text (the escape hatch)', async () => {
    const p = project({
      'evalops.yaml': 'version: 1\nproject: p\ntarget: { type: command, command: "echo plain words", output: text }\ndataset: { name: d, path: ./d.jsonl }\nmetrics:\n  - { name: words, scorer: { type: contains, value: plain } }\n',
      'd.jsonl': dataset,
    });
    const res = await runCli(['run', '--json'], { cwd: p.dir, env: p.env });
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ results: { errors: 0 }, metrics: { words: { passed: 2 } } });
  });

  describe('http responsePath', () => {
    let server: ScriptedHttpServer;
    beforeAll(async () => {
      server = await startScriptedHttpServer((req, res) => {
        const q = (JSON.parse(req.body) as { input: { q: string } }).input.q;
        sendJson(res, 200, q === 'crash' ? { error: { message: 'model overloaded' } } : { answer: 'a fine answer' });
      });
    });
    afterAll(() => server.close());

    it('makes a response without the responsePath a result error naming the example and quoting the body', async () => {
      const p = project({
        'evalops.yaml': `version: 1\nproject: p\ntarget: { type: http, url: "${server.url}/chat", responsePath: answer }\ndataset: { name: d, path: ./d.jsonl }\nmetrics:\n  - { name: not_refused, scorer: { type: refusal, not: true } }\n`,
        'd.jsonl': dataset,
      });
      const res = await runCli(['run', '--json'], { cwd: p.dir, env: p.env });
      expect(res.code, res.stderr).toBe(0);
      const doc = JSON.parse(res.stdout);
      expect(doc.results.errors).toBe(1);
      const errors = await failures(p, doc.runId);
      expect(errors).toEqual([expect.objectContaining({ exampleId: 'crash', error: 'example crash: responsePath answer not found in response: "{\\"error\\":{\\"message\\":\\"model overloaded\\"}}"' })]);
    });
  });
});
