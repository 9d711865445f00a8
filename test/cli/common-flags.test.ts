import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/**
 * The same `-c`/`--project`/`--server`/`--json` on every command on stored data. A command that
 * names an object by id (a run, a decision, a key) checks it against `--project`: another
 * project's object is refused (exit 2) and, for `keys revoke`, left alone.
 */
describe('common data flags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-flags-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  writeFileSync(join(dir, 'cases.jsonl'), ['{"id":"a","input":{"q":"x"}}', '{"id":"b","input":{"q":"y"}}', ''].join('\n'));
  writeFileSync(join(dir, 'agent.mjs'), 'export default async ({ q }) => `answer ${q}`;\n');
  writeFileSync(
    join(dir, 'evalops.yaml'),
    [
      'version: 1',
      'project: alpha',
      'target: { type: module, path: ./agent.mjs }',
      'dataset: { name: cases, path: ./cases.jsonl }',
      'metrics:',
      '  - { name: answers, owner: qa@example.com, scorer: { type: contains, value: answer } }',
      'gate:',
      '  rules:',
      '    - { metric: answers, min: 0.5, action: block }',
      '',
    ].join('\n'),
  );
  const cli = (args: string[]) => runCli(args, { cwd: dir, env });
  let runId: string;
  let decisionId: string;

  beforeAll(async () => {
    const run = await cli(['run', '--json']);
    expect(run.code, run.stderr).toBe(0);
    runId = JSON.parse(run.stdout).runId;
    const gate = await cli(['gate', '--json']);
    expect(gate.code, gate.stderr).toBe(0);
    decisionId = JSON.parse(gate.stdout).decisionId;
  }, 120_000);

  it.each([['runs', 'show', 'X'], ['gate', 'show', 'X'], ['gate', 'override', 'X'], ['gate'], ['keys', 'revoke', 'X'], ['compare', 'X', 'Y'], ['plan'], ['runs', 'list'], ['review', 'queues', 'list']])(
    '%s %s takes -c, --project, --server and --json',
    async (...args) => {
      const res = await cli([...args.filter((a) => a !== 'X' && a !== 'Y'), '--help']);
      expect(res.code).toBe(0);
      for (const flag of ['-c, --config <file>', '--project <name>', '--server <url>', '--json']) expect(res.stdout).toContain(flag);
    },
  );

  it('run says in its help that it is local only', async () => {
    const res = await cli(['run', '--help']);
    expect(res.stdout.replace(/\s+/g, ' ')).toContain('local only');
    expect(res.stdout).not.toContain('--server <url>');
  });

  it('runs show checks the run against --project', async () => {
    expect((await cli(['runs', 'show', runId, '--project', 'alpha'])).code).toBe(0);
    const other = await cli(['runs', 'show', runId, '--project', 'beta']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`run ${runId} is not in project "beta"`);
    const json = await cli(['runs', 'show', runId, '--project', 'beta', '--json']);
    expect(JSON.parse(json.stdout).error.code).toBe('not_found');
  });

  it('gate show checks the decision against --project and -c', async () => {
    expect((await cli(['gate', 'show', decisionId, '-c', 'evalops.yaml', '--json'])).code).toBe(0);
    const other = await cli(['gate', 'show', decisionId, '--project', 'beta']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('is not in project "beta"');
  });

  it('compare checks the runs against --project', async () => {
    expect((await cli(['compare', runId, runId, '--project', 'alpha', '--json'])).code).toBe(0);
    expect((await cli(['compare', runId, runId, '--project', 'beta'])).code).toBe(2);
  });

  it('keys revoke leaves a key of another project alone', async () => {
    const created = await cli(['keys', 'create', '--role', 'viewer', '--project', 'beta', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const display = JSON.parse(created.stdout).display as string;
    const refused = await cli(['keys', 'revoke', display, '--project', 'alpha']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`key ${display} is not in project "alpha"`);
    const listed = JSON.parse((await cli(['keys', 'list', '--project', 'beta', '--json'])).stdout);
    expect(listed.keys[0].revokedAt).toBeNull();
    const revoked = await cli(['keys', 'revoke', display, '--project', 'beta', '--json']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(JSON.parse(revoked.stdout).alreadyRevoked).toBe(false);
  });

  it('gate show prints a terminal report, not Markdown: coloured with FORCE_COLOR, plain when piped or with NO_COLOR', async () => {
    const piped = await cli(['gate', 'show', decisionId]);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toMatch(/^✅ EvalOps gate: approve$/m);
    expect(piped.stdout).toMatch(/^metric +owner +failure class +candidate/m);
    expect(piped.stdout).not.toMatch(/^#|\| ---|\*\*|<sub>/m);
    expect(piped.stdout).not.toContain('\u001b[');
    const forced = await runCli(['gate', 'show', decisionId], { cwd: dir, env: { ...env, FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\u001b[32mapprove\u001b[39m');
    const none = await runCli(['gate', 'show', decisionId], { cwd: dir, env: { ...env, NO_COLOR: '1' } });
    expect(none.stdout).not.toContain('\u001b[');
    const md = join(dir, 'decision.md');
    await cli(['gate', 'show', decisionId, '--markdown', md]);
    expect(readFileSync(md, 'utf8')).toMatch(/^## ✅ EvalOps gate: \*\*approve\*\*/);
  });
});
