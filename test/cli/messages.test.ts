import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO, runCli, runNode } from './run-cli.js';

/** Messages that name the cause: exit 4, unknown fields, invalid regexes, no cost data, a closed pipe, no build. */
describe('CLI messages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-messages-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  const rows = Array.from({ length: 60 }, (_, i) => JSON.stringify({ id: `e${i}`, input: { i } }));
  writeFileSync(join(dir, 'cases.jsonl'), `${rows.join('\n')}\n`);
  writeFileSync(join(dir, 'big.mjs'), 'export default async ({ i }) => `answer ${i} ${"x".repeat(3000)}`;\n');
  writeFileSync(join(dir, 'broken.mjs'), 'export default async ({ i }) => { throw new Error(i % 2 ? "upstream refused: 503" : "socket hang up"); };\n');
  const config = (name: string, agent: string, metric = '{ type: contains, value: answer }', extra: string[] = []): string => {
    writeFileSync(
      join(dir, name),
      ['version: 1', 'project: msgs', `target: { type: module, path: ./${agent} }`, 'dataset: { name: cases, path: ./cases.jsonl }', ...extra, 'metrics:', `  - { name: answers, scorer: ${metric} }`, ''].join('\n'),
    );
    return name;
  };
  const cli = (args: string[]) => runCli(args, { cwd: dir, env });
  let bigRun: string;

  beforeAll(async () => {
    const res = await cli(['run', '-c', config('big.yaml', 'big.mjs'), '--json']);
    expect(res.code, res.stderr).toBe(0);
    bigRun = JSON.parse(res.stdout).runId;
  }, 120_000);

  it('exit 4 names the first distinct errors with an example each', async () => {
    const res = await cli(['run', '-c', config('broken.yaml', 'broken.mjs')]);
    expect(res.code).toBe(4);
    expect(res.stderr).toContain('the target failed on every example; the first errors:');
    expect(res.stderr).toMatch(/e\d+: .*socket hang up \(and 29 more examples\)/);
    expect(res.stderr).toMatch(/e\d+: .*upstream refused: 503 \(and 29 more examples\)/);
    expect(res.stderr).toMatch(/runs show \S+ --failures/);
  }, 60_000);

  it('an unknown config field gets "did you mean"', async () => {
    const res = await cli(['run', '-c', config('typo.yaml', 'big.mjs', '{ type: contains, value: answer }', ['concurency: 4'])]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('typo.yaml:5 concurency: unknown field "concurency"; did you mean "concurrency"?');
  });

  it('an invalid regex names file, line and field', async () => {
    const res = await cli(['run', '-c', config('regex.yaml', 'big.mjs', '{ type: regex, pattern: "([a-z" }')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/regex\.yaml:6 metrics\.0\.scorer\.pattern: invalid regex "\(\[a-z"/);
  });

  it('a scorer parameter naming a missing file names file, line, metric and parameter', async () => {
    const schema = await cli(['run', '-c', config('schema.yaml', 'big.mjs', '{ type: json-schema, schema: ./missing.schema.json }')]);
    expect(schema.code).toBe(2);
    expect(schema.stderr).toMatch(/schema\.yaml:6 metrics\.0\.scorer\.schema: metric "answers": cannot read JSON Schema file: .*missing\.schema\.json/);
    const rubric = await cli(['run', '-c', config('rubric.yaml', 'big.mjs', '{ type: judge, rubric: ./nope.md, labels: [pass, fail], pass: [pass] }')]);
    expect(rubric.code).toBe(2);
    expect(rubric.stderr).toMatch(/rubric\.yaml:6 metrics\.0\.scorer\.rubric: metric "answers": judge rubric file not found: .*nope\.md/);
    const fn = await cli(['run', '-c', config('fn.yaml', 'big.mjs', '{ type: function, path: ./nofn.ts }')]);
    expect(fn.code).toBe(2);
    expect(fn.stderr).toMatch(/fn\.yaml:6 metrics\.0\.scorer\.path: metric "answers": cannot read scorer function module/);
  });

  it('a run without cost data prints — , not $0.00000', async () => {
    const res = await cli(['runs', 'show', bigRun]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('cost —');
    expect(res.stdout).not.toContain('$0.0');
  });

  it('a pipe closed early ends the CLI quietly with exit 0', () => {
    // ~190 KB of JSON: more than a pipe holds, so the CLI is still writing when `head` has gone.
    const res = spawnSync('bash', ['-c', `node ${JSON.stringify(BIN)} runs show ${bigRun} --results --limit 60 --json | head -c 10 >/dev/null; echo "exit=\${PIPESTATUS[0]}" >&2`], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(res.stderr.trim()).toBe('exit=0');
  });

  it('-v prints the version', async () => {
    const res = await cli(['-v']);
    expect(res.code).toBe(0);
    expect(res.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('a clone without its build says to install or build first (exit 2)', async () => {
    const clone = mkdtempSync(join(tmpdir(), 'evalops-no-build-'));
    mkdirSync(join(clone, 'bin'));
    cpSync(join(REPO, 'bin', 'evalops.js'), join(clone, 'bin', 'evalops.js'));
    writeFileSync(join(clone, 'package.json'), '{"type":"module"}\n');
    const res = await runNode([join(clone, 'bin', 'evalops.js'), 'runs', 'list']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('run npm install (or npm run build) first');
    expect(res.stderr).not.toContain('ERR_MODULE_NOT_FOUND');
  });
});
