/**
 * docs/traces-walkthrough.md, run: the built CLI's `serve` as a child process, `keys create`, the
 * instrumented example app sending real OTLP and feedback, `traces list|sessions|show|promote` and
 * `run` on the promoted dataset. The commands are read from the document and must be exactly the ones
 * run here, so the walkthrough cannot drift from what works.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO, runCli, runNode, type CliResult } from '../cli/run-cli.js';

const DOC = readFileSync(join(REPO, 'docs', 'traces-walkthrough.md'), 'utf8');

/** The commands of the document's sh blocks (comments, `export` and the build left out). */
function documentedCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  return blocks.flatMap((b) => b.split('\n')).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('export ') && l !== 'npm run build');
}

const COMMANDS = {
  serve: 'npx evalops serve --port 8787',
  createKey: 'npx evalops keys create --role ingest --project support-bot --name support-bot-prod',
  traffic: 'EVALOPS_API_KEY=eo_… npx tsx examples/support-bot/traffic.ts --endpoint http://127.0.0.1:8787',
  list: 'npx evalops traces list --project support-bot',
  sessions: 'npx evalops traces sessions --project support-bot',
  complaints: 'npx evalops traces list --project support-bot --has-feedback negative',
  show: 'npx evalops traces show TRACE_ID --project support-bot',
  promote: 'npx evalops traces promote --project support-bot --has-feedback negative --dataset from-prod',
  runV2: 'npx evalops run -c examples/support-bot/evalops.traces.v2.yaml',
  runV1: 'npx evalops run -c examples/support-bot/evalops.traces.yaml',
} as const;

/** `npx evalops a b c` → ['a', 'b', 'c'], with placeholders filled in. */
const argsOf = (command: string, fill: Record<string, string> = {}): string[] =>
  command
    .replace(/^npx evalops /, '')
    .split(' ')
    .map((a) => fill[a] ?? a);

describe('docs/traces-walkthrough.md, end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-walkthrough-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'walkthrough.db')}`, EVALOPS_ACTOR: 'ops@example.com' };
  let serve: ChildProcess;
  let serveErr = '';
  let url = '';
  let ingestKey = '';
  const cli = async (command: string, fill: Record<string, string> = {}, extra: string[] = []): Promise<CliResult> => {
    const res = await runCli([...argsOf(command, fill), ...extra], { env });
    expect(res.code, `${command}\n${res.stderr}`).toBe(0);
    return res;
  };

  beforeAll(async () => {
    serve = spawn(process.execPath, [BIN, ...argsOf(COMMANDS.serve, { '8787': '0' })], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    serve.stderr?.on('data', (d: Buffer) => (serveErr += d.toString()));
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      serve.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^(http:\/\/\S+)\n/m.exec(out);
        if (m) resolve(m[1] as string);
      });
      serve.once('exit', (code) => reject(new Error(`serve exited (${code}) before listening:\n${serveErr}`)));
    });
  });
  afterAll(async () => {
    if (serve && serve.exitCode === null) {
      const exited = new Promise((resolve) => serve.once('exit', resolve));
      serve.kill('SIGTERM');
      await exited;
    }
  });

  it('documents exactly the commands this test runs, in order', () => {
    expect(documentedCommands(DOC)).toEqual(Object.values(COMMANDS));
  });

  it('serve prints the admin key once, on the first start', () => {
    expect(serveErr).toMatch(/First start: created an instance-wide admin API key[\s\S]*\n {2}eo_\S+\n/);
  });

  it('keys create prints an ingest key for the project', async () => {
    const res = await cli(COMMANDS.createKey);
    expect(res.stdout).toMatch(/created ingest key eo_\S+ for project "support-bot" named "support-bot-prod"/);
    ingestKey = /\n {2}(eo_\S+)\n/.exec(res.stdout)?.[1] ?? '';
    expect(ingestKey).not.toBe('');
  });

  it('the instrumented app sends its traces and its customers’ feedback', async () => {
    const [, , script, ...rest] = COMMANDS.traffic.replace(/^EVALOPS_API_KEY=\S+ /, '').split(' ');
    const args = rest.map((a) => (a === 'http://127.0.0.1:8787' ? url : a));
    const res = await runNode(['--import', 'tsx', script as string, ...args], { env: { EVALOPS_API_KEY: ingestKey } });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe(`sent 10 traces in 6 sessions to ${url} (release 2.0.0); feedback: 1 up, 3 down\n`);
  });

  it('traces list and traces sessions show the traffic', async () => {
    const list = await cli(COMMANDS.list);
    expect(list.stdout.split('\n').filter((l) => /^[0-9a-f]{32}\s/.test(l))).toHaveLength(10);
    expect(list.stdout).toMatch(/support-agent\s+AGENT\s+3\s+0\s/); // root, LLM and one tool span
    const traces = JSON.parse((await cli(COMMANDS.list, {}, ['--json'])).stdout).traces;
    expect(traces).toHaveLength(10);
    expect(traces[0]).toMatchObject({ name: 'support-agent', kind: 'AGENT', release: '2.0.0', model: 'support-rules-v2', sessionId: expect.stringMatching(/^chat-10\d\d$/) });

    const sessions = await cli(COMMANDS.sessions);
    for (const id of ['chat-1001', 'chat-1002', 'chat-1003', 'chat-1004', 'chat-1005', 'chat-1006']) expect(sessions.stdout).toContain(id);
    const doc = JSON.parse((await cli(COMMANDS.sessions, {}, ['--json'])).stdout);
    expect(doc.sessions).toHaveLength(6);
    expect(doc.sessions.find((s: { sessionId: string }) => s.sessionId === 'chat-1002')).toMatchObject({ userId: 'C-1002', traces: 2, errors: 0, feedback: { down: 1 } });
  });

  it('the complaints are the Spanish refunds, and show prints one as a span tree', async () => {
    const res = await cli(COMMANDS.complaints);
    const ids = res.stdout.split('\n').flatMap((l) => /^([0-9a-f]{32})\s/.exec(l)?.[1] ?? []);
    expect(ids).toHaveLength(3);
    const json = JSON.parse((await cli(COMMANDS.complaints, {}, ['--json'])).stdout).traces;
    expect(json.map((t: { traceId: string }) => t.traceId)).toEqual(ids);
    for (const t of json) expect(t.feedback).toMatchObject({ down: 1, comments: 1 });

    const tree = await cli(COMMANDS.show, { TRACE_ID: ids[0] as string });
    expect(tree.stdout).toMatch(/^AGENT support-agent .*\n {2}LLM ChatCompletion .*support-rules-v2 {2}→ He recibido tu solicitud de reembolso.*\n {2}TOOL lookup_order /);
  });

  it('promote turns the complaints into a new version of from-prod', async () => {
    const res = await cli(COMMANDS.promote);
    expect(res.stdout).toMatch(/^new version from-prod@[0-9a-f]+: 3 trace\(s\) promoted, 3 examples\n$/);
    const dataset = JSON.parse((await runCli(['datasets', 'show', 'from-prod', '--project', 'support-bot', '--json'], { env })).stdout);
    expect(dataset.examples).toHaveLength(3);
    for (const e of dataset.examples) {
      expect(e).toMatchObject({ source: 'trace', input: { lang: 'es', message: expect.stringMatching(/reembolso/) }, metadata: { release: '2.0.0' } });
      expect(e.slices).toEqual(['intent:refund', 'lang:es', 'release:2.0.0']);
    }
  });

  it('run on the promoted dataset: version 2 reproduces the bug, version 1 passes', async () => {
    const v2 = await cli(COMMANDS.runV2);
    expect(v2.stdout).toContain('from-prod');
    const v2doc = JSON.parse((await cli(COMMANDS.runV2, {}, ['--json'])).stdout);
    expect(v2doc.dataset.name).toBe('from-prod');
    expect(v2doc.metrics.issues_refund).toMatchObject({ n: 3, passed: 0 });
    const v1doc = JSON.parse((await cli(COMMANDS.runV1, {}, ['--json'])).stdout);
    expect(v1doc.metrics.issues_refund).toMatchObject({ n: 3, passed: 3 });
    expect(v1doc.metrics.no_leak).toMatchObject({ n: 3, passed: 3 });
  });
});
