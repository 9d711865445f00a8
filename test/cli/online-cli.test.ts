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

  it('inlines a JSON Schema file of the rules file and refuses a function path, naming the field', async () => {
    file('ticket.json', JSON.stringify({ type: 'object', required: ['id'] }));
    const withSchema = file('schema-rule.yaml', "rules:\n  - name: shaped\n    metrics:\n      - { name: shape, scorer: { type: json-schema, schema: ./ticket.json } }\n");
    expect((await runCli(['online', 'apply', withSchema, '--project', 'inline', '--json'], { env })).code).toBe(0);
    const shown = await runCli(['online', 'rules', 'show', 'shaped', '--project', 'inline', '--json'], { env });
    expect(JSON.parse(shown.stdout).spec.metrics[0].scorer.schema).toEqual({ type: 'object', required: ['id'] });
    const withPath = file('fn-rule.yaml', "rules:\n  - name: coded\n    metrics:\n      - { name: mine, scorer: { type: function, path: ./scorers/my_check.ts } }\n");
    const r = await runCli(['online', 'apply', withPath, '--project', 'inline', '--json'], { env });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toMatch(/fn-rule\.yaml: rules\.0\.metrics\.0\.scorer\.path: .*--scorers DIR.*name: "my_check"/);
  });

  it('lists the scorers of a directory as serve and worker load it, and refuses a bad one with exit 2', async () => {
    const r = await runCli(['scorers', 'list', '--scorers', 'test/fixtures/scorers/registered', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const listed = JSON.parse(r.stdout);
    expect(listed.scorers.map((s: { name: string }) => s.name)).toEqual(['cites_policy', 'short-enough']);
    expect(listed.scorers[0].fingerprint).toMatch(/^[0-9a-f]{16}$/);
    const local = await runCli(['scorers', 'list', '--json'], { env });
    expect(JSON.parse(local.stdout)).toEqual({ source: 'none', scorers: [] });
    const bad = await runCli(['scorers', 'list', '--scorers', 'test/fixtures/scorers/bad-default', '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.location).toMatch(/no_default\.ts$/);
  });
});
