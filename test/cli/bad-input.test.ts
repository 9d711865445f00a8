import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/** Every user mistake: one clear message naming the place, exit 2, nothing stored, no stack trace. */
describe('evalops bad input (end to end)', () => {
  const project = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-bad-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  const db = (dir: string) => ({ EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` });
  const good = 'project: p\ntarget: { type: module, path: ./t.mjs }\ndataset: { name: d, path: ./d.jsonl }\nmetrics:\n  - { name: m, scorer: { type: contains, value: a } }\n';

  it('refuses a config without version: 1', async () => {
    const dir = project({ 'evalops.yaml': good, 't.mjs': 'export default (x) => x;', 'd.jsonl': '{"input":"a"}\n' });
    const res = await runCli(['run'], { cwd: dir, env: db(dir) });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/version: 1/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the file, line and field of an invalid scorer type', async () => {
    const dir = project({ 'evalops.yaml': `version: 1\n${good.replace('contains', 'contians')}`, 't.mjs': 'export default (x) => x;', 'd.jsonl': '{"input":"a"}\n' });
    const res = await runCli(['run', '--json'], { cwd: dir, env: db(dir) });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/evalops\.yaml:6 metrics\.0\.scorer\.type/);
    expect(JSON.parse(res.stdout).error).toMatchObject({ code: 'config' });
  });

  it('reports every malformed dataset row with its line and stores no run', async () => {
    const dir = project({ 'evalops.yaml': `version: 1\n${good}`, 't.mjs': 'export default (x) => x;', 'd.jsonl': '{"input":"a"}\nnot json\n{"id":"x","input":"b"}\n{"id":"x","input":"c"}\n' });
    const res = await runCli(['run'], { cwd: dir, env: db(dir) });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/d\.jsonl:2/);
    expect(res.stderr).toMatch(/duplicate id "x" on lines 3 and 4/);
    const list = await runCli(['runs', 'list', '--json'], { cwd: dir, env: db(dir) });
    expect(list.code).toBe(2);
    expect(JSON.parse(list.stdout).error.message).toMatch(/project "p" not found/);
  });

  it('rejects a bad flag value', async () => {
    const dir = project({ 'evalops.yaml': `version: 1\n${good}`, 't.mjs': 'export default (x) => x;', 'd.jsonl': '{"input":"a"}\n' });
    const res = await runCli(['run', '--concurrency', 'lots'], { cwd: dir, env: db(dir) });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--concurrency must be a whole number/);
    const unknown = await runCli(['run', '--frobnicate'], { cwd: dir, env: db(dir) });
    expect(unknown.code).toBe(2);
  });

  it('rejects a bad database URL', async () => {
    const dir = project({ 'evalops.yaml': `version: 1\n${good}`, 't.mjs': 'export default (x) => x;', 'd.jsonl': '{"input":"a"}\n' });
    const res = await runCli(['runs', 'list'], { cwd: dir, env: { EVALOPS_DATABASE_URL: 'mysql://x' } });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/EVALOPS_DATABASE_URL/);
  });

  it('exits 4 when the database cannot be reached', async () => {
    const dir = project({ 'evalops.yaml': `version: 1\n${good}`, 't.mjs': 'export default (x) => x;', 'd.jsonl': '{"input":"a"}\n' });
    const res = await runCli(['runs', 'list'], { cwd: dir, env: { EVALOPS_DATABASE_URL: 'postgres://postgres@127.0.0.1:9/none' } });
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/cannot open the postgres database/);
  });

  it('records a target module that throws as per-result errors, not a crash', async () => {
    const dir = project({ 'evalops.yaml': `version: 1\n${good}`, 't.mjs': 'export default (x) => { if (x === "b") throw new Error("no b"); return x; };', 'd.jsonl': '{"input":"a"}\n{"input":"b"}\n' });
    const res = await runCli(['run', '--json'], { cwd: dir, env: db(dir) });
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc.results).toMatchObject({ total: 2, errors: 1 });
    const show = await runCli(['runs', 'show', doc.runId, '--failures', '--json'], { cwd: dir, env: db(dir) });
    expect(JSON.parse(show.stdout).items[0].error).toMatch(/no b/);
  });
});
