import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from './run-cli.js';

/** Ctrl-C and kill -9 mid-run: finished results stay, the run is not reported complete. */
describe('evalops run interrupted (end to end)', () => {
  const setup = () => {
    const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-int-'));
    const rows = Array.from({ length: 400 }, (_, i) => JSON.stringify({ id: `e${i}`, input: `q${i}` })).join('\n');
    writeFileSync(join(dir, 'd.jsonl'), `${rows}\n`);
    writeFileSync(join(dir, 't.mjs'), 'export default async (x) => { await new Promise((r) => setTimeout(r, 10)); return x; };\n');
    writeFileSync(join(dir, 'evalops.yaml'), 'version: 1\nproject: slow\ntarget: { type: module, path: ./t.mjs }\ndataset: { name: d, path: ./d.jsonl }\nmetrics:\n  - { name: m, scorer: { type: starts-with, value: q } }\nrun: { concurrency: 1 }\n');
    return { dir, env: { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` } };
  };

  const startRun = (dir: string, env: Record<string, string>) => {
    const child = spawn(process.execPath, [BIN, 'run', '--json'], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const progressed = new Promise<void>((resolve) => {
      child.stderr.on('data', () => {
        const done = [...stderr.matchAll(/progress (\d+)\/400/g)].map((m) => Number(m[1]));
        if (Math.max(0, ...done) >= 40) resolve();
      });
    });
    const closed = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    return { child, progressed, closed, out: () => stdout, err: () => stderr };
  };

  it('Ctrl-C keeps finished results and stores the run as incomplete', async () => {
    const { dir, env } = setup();
    const run = startRun(dir, env);
    await run.progressed;
    run.child.kill('SIGINT');
    const { code } = await run.closed;
    expect(code).toBe(130);
    const doc = JSON.parse(run.out());
    expect(doc.status).toBe('incomplete');
    expect(doc.results.total).toBeGreaterThanOrEqual(40);
    expect(doc.results.total).toBeLessThan(400);
    expect(doc.metrics.m.n).toBe(doc.results.total);
    const show = JSON.parse((await runCli(['runs', 'show', doc.runId, '--json'], { cwd: dir, env })).stdout);
    expect(show).toMatchObject({ status: 'incomplete', results: { total: doc.results.total } });
  });

  it('kill -9 leaves every flushed result intact and the run not completed', async () => {
    const { dir, env } = setup();
    const run = startRun(dir, env);
    await run.progressed;
    await new Promise((r) => setTimeout(r, 700)); // past one flush interval
    run.child.kill('SIGKILL');
    await run.closed;
    const list = JSON.parse((await runCli(['runs', 'list', '--json'], { cwd: dir, env })).stdout);
    const [stored] = list.runs;
    expect(['running', 'incomplete']).toContain(stored.status);
    const show = JSON.parse((await runCli(['runs', 'show', stored.runId, '--results', '--limit', '1000', '--json'], { cwd: dir, env })).stdout);
    expect(show.results.total).toBeGreaterThanOrEqual(40);
    expect(show.results.total).toBeLessThan(400);
    expect(show.items).toHaveLength(show.results.total);
    expect(show.items.every((r: { output: string; scores: { m: { pass: boolean } } }) => r.output.startsWith('q') && r.scores.m.pass)).toBe(true);
  });
});
