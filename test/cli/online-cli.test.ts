/**
 * `evalops online apply` and friends on bad input: every mistake is exit 2 with a message naming the
 * file and the field, and nothing is saved when any entry is wrong.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('evalops online: bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-online-cli-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'sre@example.com' };
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const good = "rules:\n  - name: prod\n    sampleRate: 0.2\n    metrics:\n      - { name: polite, scorer: { type: icontains, value: please } }\n";

  it('names the file and the field of a bad rule, and saves nothing', async () => {
    const bad = file('bad-rule.yaml', `${good}  - name: second\n    sampleRate: 1.5\n    metrics:\n      - { name: polite, scorer: { type: icontains, value: please } }\n`);
    const r = await runCli(['online', 'apply', bad, '--project', 'shop', '--json'], { env });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: rules\\.1\\.sampleRate: `));
    const list = await runCli(['online', 'rules', 'list', '--project', 'shop', '--json'], { env });
    expect(list.code === 0 ? JSON.parse(list.stdout).rules : []).toEqual([]);
  });

  it('refuses a monitor on a metric the rule does not have, naming the field', async () => {
    const path = file('bad-monitor.yaml', `${good}monitors:\n  - { name: m, rule: prod, metric: helpful }\n`);
    const r = await runCli(['online', 'apply', path, '--project', 'shop', '--json'], { env });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toMatch(/bad-monitor\.yaml: monitors\.0\.metric: rule prod has no metric helpful \(it has polite\)/);
    const list = await runCli(['online', 'rules', 'list', '--project', 'shop', '--json'], { env });
    expect(list.code === 0 ? JSON.parse(list.stdout).rules : []).toEqual([]); // the rule of the same file was not saved either
  });

  it('reports YAML syntax errors and unknown keys as usage errors', async () => {
    const syntax = await runCli(['online', 'apply', file('syntax.yaml', 'rules: [\n'), '--project', 'shop'], { env });
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toContain('syntax.yaml');
    const unknown = await runCli(['online', 'apply', file('unknown.yaml', 'rulez: []\n'), '--project', 'shop'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown\.yaml: .*rulez/);
  });

  it('refuses to acknowledge an alert that does not exist, and a bad percent on a rollback rule', async () => {
    expect((await runCli(['online', 'apply', file('good.yaml', good), '--project', 'shop'], { env })).code).toBe(0);
    const ack = await runCli(['alerts', 'ack', 'alr_nope', '--project', 'shop', '--json'], { env });
    expect(ack.code).toBe(2);
    expect(JSON.parse(ack.stdout).error.message).toMatch(/alert alr_nope not found/);
    const narrow = await runCli(['releases', 'rollback-rule', 'add', 'rel_x', '--monitor', 'm', '--narrow', '150', '--project', 'shop'], { env });
    expect(narrow.code).toBe(2);
    expect(narrow.stderr).toContain('--narrow must be a whole number from 1 to 99');
  });
});
