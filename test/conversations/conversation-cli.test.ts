import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

describe('evalops datasets with conversations (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-conv-'));
  const opts = { cwd: dir, env: { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` } };
  writeFileSync(join(dir, 'good.jsonl'), '{"id":"t","turns":["hi",{"user":"order 7","expected":"refund"}]}\n{"id":"s","scenario":{"goal":"refund order 7","maxTurns":3}}\n');
  writeFileSync(join(dir, 'bad.jsonl'), '{"id":"a","turns":["hi",""]}\n{"id":"b","scenario":{"persona":"p"}}\n{"id":"c","scenario":{"goal":"g","maxTurns":0}}\n');

  it('imports conversations and shows them back', async () => {
    const imported = await runCli(['datasets', 'import', 'good.jsonl', '--name', 'conv', '--project', 'p', '--json'], opts);
    expect(imported.code, imported.stderr).toBe(0);
    const show = JSON.parse((await runCli(['datasets', 'show', 'conv', '--project', 'p', '--json'], opts)).stdout);
    const byId = new Map(show.examples.map((e: { id: string }) => [e.id, e]));
    expect(byId.get('t')).toMatchObject({ input: 'hi', conversation: { kind: 'turns', turns: [{ user: 'hi' }, { user: 'order 7', expected: 'refund' }] } });
    expect(byId.get('s')).toMatchObject({ input: 'refund order 7', conversation: { kind: 'scenario', scenario: { goal: 'refund order 7', maxTurns: 3 } } });
  });
  it('refuses a bad conversation file with exit 2, naming file, line and field, and stores nothing', async () => {
    const res = await runCli(['datasets', 'import', 'bad.jsonl', '--name', 'broken', '--project', 'p'], opts);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('bad.jsonl:1: turns.1.user: a turn needs a non-empty "user" message');
    expect(res.stderr).toContain('bad.jsonl:2: scenario.goal is required');
    expect(res.stderr).toContain('bad.jsonl:3: scenario.maxTurns: maxTurns must be at least 1');
    const list = JSON.parse((await runCli(['datasets', 'list', '--project', 'p', '--json'], opts)).stdout);
    expect(list.datasets.map((d: { name: string }) => d.name)).toEqual(['conv']);
  });

});
