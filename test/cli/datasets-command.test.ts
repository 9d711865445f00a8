import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('evalops datasets (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-ds-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` };
  const opts = { cwd: dir, env };
  writeFileSync(join(dir, 'v1.jsonl'), '{"id":"a","input":"hello","slices":["lang:en"]}\n{"id":"b","input":"hola","slices":["lang:es"]}\n');
  writeFileSync(join(dir, 'v1.csv'), 'id,input,slices\nb,hola,lang:es\na,hello,lang:en\n');
  writeFileSync(join(dir, 'v2.yaml'), '- { id: a, input: hello, expected: hi, slices: [lang:en] }\n- { id: c, input: bonjour, slices: [lang:fr] }\n');
  writeFileSync(join(dir, 'bad.csv'), 'id,input\nx,one\nx,two\ny\n');

  it('imports a file as a version, and the same content (even as CSV) as the same version', async () => {
    const first = await runCli(['datasets', 'import', 'v1.jsonl', '--name', 'greet', '--project', 'p', '--json'], opts);
    expect(first.code, first.stderr).toBe(0);
    const a = JSON.parse(first.stdout);
    expect(a).toMatchObject({ dataset: 'greet', examples: 2, created: true });
    const again = JSON.parse((await runCli(['datasets', 'import', 'v1.csv', '--name', 'greet', '--project', 'p', '--json'], opts)).stdout);
    expect(again).toMatchObject({ version: a.version, created: false });
  });

  it('diffs two versions: added, removed, changed', async () => {
    const v1 = JSON.parse((await runCli(['datasets', 'show', 'greet', '--project', 'p', '--json'], opts)).stdout).version;
    const v2 = JSON.parse((await runCli(['datasets', 'import', 'v2.yaml', '--name', 'greet', '--project', 'p', '--json'], opts)).stdout).version;
    const diff = JSON.parse((await runCli(['datasets', 'diff', 'greet', v1, v2, '--project', 'p', '--json'], opts)).stdout);
    expect(diff.added.map((e: { id: string }) => e.id)).toEqual(['c']);
    expect(diff.removed.map((e: { id: string }) => e.id)).toEqual(['b']);
    expect(diff.changed.map((c: { id: string; fields: string[] }) => [c.id, c.fields])).toEqual([['a', ['expected']]]);
  });

  it('lists datasets and shows a version with its slices', async () => {
    const list = JSON.parse((await runCli(['datasets', 'list', '--project', 'p', '--json'], opts)).stdout);
    expect(list.datasets).toEqual([expect.objectContaining({ name: 'greet', versions: 2 })]);
    const show = JSON.parse((await runCli(['datasets', 'show', 'greet', '--project', 'p', '--json'], opts)).stdout);
    expect(show.slices).toEqual({ 'lang:en': 1, 'lang:fr': 1 });
    expect(show.versions).toHaveLength(2);
  });

  it('stores nothing from a file with bad rows and names their lines', async () => {
    const res = await runCli(['datasets', 'import', 'bad.csv', '--name', 'broken', '--project', 'p'], opts);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/duplicate id "x" on lines 2 and 3/);
    expect(res.stderr).toMatch(/bad\.csv:4/);
    const list = JSON.parse((await runCli(['datasets', 'list', '--project', 'p', '--json'], opts)).stdout);
    expect(list.datasets.map((d: { name: string }) => d.name)).toEqual(['greet']);
  });

  it('needs a project', async () => {
    const res = await runCli(['datasets', 'list'], opts);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--project/);
  });
});
