/**
 * docs/agents.md, kept true: every `evalops` command the page shows is run, in page order, by the
 * built CLI against a database seeded the way production would fill it (two runs, the online rules and
 * monitors of examples/support-bot/online.yaml, a live release and a canary, canary traffic over OTLP
 * whose quality drops, the worker scoring it and the monitor firing). Each command must succeed and
 * print JSON holding every top-level key of the example that follows it on the page, with the same type.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sendCanaryTraffic } from '../../examples/support-bot/canary-traffic.js';
import { startOnlineWorker } from '../../src/online/online-worker.js';
import { startServer } from '../../src/server/start-server.js';
import { openStore } from '../../src/store/store.js';
import { REPO, runCli } from '../cli/run-cli.js';

interface DocCommand {
  readonly command: string;
  readonly example: Record<string, unknown>;
}

/** The page's `sh` blocks of one `evalops …` line, each with the `json` block after it. */
export function docCommands(markdown: string): DocCommand[] {
  const blocks = [...markdown.matchAll(/```(sh|json)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1] as string, body: (m[2] as string).trim() }));
  const out: DocCommand[] = [];
  blocks.forEach((b, i) => {
    if (b.lang !== 'sh') return;
    const next = blocks[i + 1];
    if (!next || next.lang !== 'json') throw new Error(`docs/agents.md: no JSON example after \`${b.body}\``);
    out.push({ command: b.body, example: JSON.parse(next.body) as Record<string, unknown> });
  });
  return out;
}

function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Splits a command line into argv, honouring double quotes. */
function argv(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => (m[1] ?? m[2]) as string);
}

const doc = readFileSync(join(REPO, 'docs', 'agents.md'), 'utf8');
const commands = docCommands(doc);

describe('docs/agents.md', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-agents-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'agent@example.com', EVALOPS_SERVER_URL: '' };
  const values: Record<string, string> = {};

  beforeAll(async () => {
    const run = async (args: string[], ok = [0]): Promise<any> => {
      const r = await runCli([...args, '--json'], { env });
      if (!ok.includes(r.code ?? -1)) throw new Error(`evalops ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return JSON.parse(r.stdout);
    };
    values['baseline-run'] = (await run(['run', '-c', 'examples/support-bot/evalops.yaml', '--release', '2.0.0'])).runId;
    values['candidate-run'] = (await run(['run', '-c', 'examples/support-bot/evalops.v2.yaml', '--release', '2.1.0'])).runId;
    await run(['online', 'apply', 'examples/support-bot/online.yaml', '--project', 'support-bot']);
    const store = await openStore(env.EVALOPS_DATABASE_URL);
    const project = (await store.projects.findByName('support-bot'))!;
    const ingest = (await store.apiKeys.create({ role: 'ingest', projectId: project.id, createdBy: 'test' })).plaintext;
    const live = await store.releases.resolve(project.id, '2.0.0');
    await store.releases.apply(live.id, { type: 'gate', outcome: 'approve' }, 'ci');
    await store.releases.apply(live.id, { type: 'promote' }, 'ci');
    const canary = await store.releases.resolve(project.id, '2.1.0');
    await store.releases.apply(canary.id, { type: 'gate', outcome: 'approve' }, 'ci');
    await store.releases.apply(canary.id, { type: 'promote', percent: 20 }, 'ci');
    values['release'] = '2.1.0'; // a release is named by its name, as an agent reads it from the alert's cohort
    // No rollback rule: an alert whose rule acted is resolved at once (as `acted`), and the page walks
    // through one a person still has to move (acknowledge, resolve).
    const server = await startServer({ store, port: 0, host: '127.0.0.1' });
    const worker = await startOnlineWorker({ store, sweepMs: 200, monitorMs: 400, webhookMs: 500 });
    await sendCanaryTraffic({ endpoint: server.url, apiKey: ingest, traces: 500, canaryShare: 0.4, live: { release: '2.0.0', citesPolicy: 0.92 }, canary: { release: '2.1.0', citesPolicy: 0.6 }, seed: 3, startMs: Date.now() - 500 * 1000 });
    const end = Date.now() + 60_000;
    while ((await store.alerts.list(project.id)).length === 0) {
      if (Date.now() > end) throw new Error('the canary monitor never fired');
      await new Promise((r) => setTimeout(r, 200));
    }
    await worker.stop();
    await server.close();
    const alert = (await store.alerts.list(project.id))[0]!;
    values['alert-id'] = alert.id;
    values['trace-id'] = (alert.evidence['exampleTraceIds'] as string[])[0]!;
    await store.close();
  }, 180_000);

  it('shows commands, each with a JSON example', () => {
    expect(commands.length).toBeGreaterThanOrEqual(15);
  });

  it('runs every command it shows, and each prints the keys its example shows', async () => {
    for (const { command, example } of commands) {
      expect(command.startsWith('evalops ')).toBe(true);
      const line = command.replace(/<([a-z-]+)>/g, (_, name: string) => {
        const v = values[name];
        if (v === undefined) throw new Error(`docs/agents.md: no value for placeholder <${name}> in \`${command}\``);
        return v;
      });
      const r = await runCli(argv(line).slice(1), { env });
      const ok = line.startsWith('evalops gate') ? [0, 1, 3] : [0];
      expect(ok, `\`${line}\` exited ${r.code}: ${r.stderr}`).toContain(r.code);
      const out = JSON.parse(r.stdout) as Record<string, unknown>;
      for (const [key, value] of Object.entries(example)) {
        expect(out, `\`${command}\` prints no "${key}"`).toHaveProperty(key);
        if (value !== null && out[key] !== null) expect(kind(out[key]), `\`${command}\`: "${key}" is ${kind(out[key])}, the page shows ${kind(value)}`).toBe(kind(value));
      }
    }
  }, 180_000);
});
