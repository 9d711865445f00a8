import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO, runCli } from '../cli/run-cli.js';
import { createKeyLocally } from '../support/serve-process.js';

/**
 * `evalops mcp` end to end: the built CLI spawned by the SDK's StdioClientTransport, on a SQLite
 * database, over the support-bot example — an agent runs two evals, compares them and reads the
 * failures; a viewer's key is refused the run; another project's config and run are refused.
 */
describe('evalops mcp over stdio (built CLI, SDK client)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-mcp-stdio-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com', OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '' };
  const keys: Record<string, string> = {};
  const clients: Client[] = [];
  let elsewhere = '';
  let theirs = '';
  const LONG = { timeout: 300_000 };

  const connect = async (key: string, extraArgs: readonly string[] = []): Promise<Client> => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', ...extraArgs], cwd: REPO, env: { ...(process.env as Record<string, string>), ...env, EVALOPS_API_KEY: key }, stderr: 'pipe' });
    const client = new Client({ name: 'e2e-agent', version: '1' });
    await client.connect(transport);
    clients.push(client);
    return client;
  };
  const text = (result: Awaited<ReturnType<Client['callTool']>>): string => (result.content as { text: string }[]).map((c) => c.text).join('\n');
  const json = (result: Awaited<ReturnType<Client['callTool']>>): any => {
    expect(result.isError, text(result)).toBeFalsy();
    return JSON.parse(text(result));
  };

  beforeAll(async () => {
    elsewhere = join(dir, 'elsewhere.yaml');
    const config = readFileSync('examples/support-bot/evalops.yaml', 'utf8').replace(/\.\/(agent|data|scorers|schemas|rubrics)/g, `${REPO}/examples/support-bot/$1`);
    writeFileSync(elsewhere, config.replace('project: support-bot', 'project: elsewhere'));
    const res = await runCli(['run', '-c', elsewhere, '--json'], { env });
    expect(res.code, res.stderr).toBe(0);
    theirs = JSON.parse(res.stdout).runId;
    keys['engineer'] = await createKeyLocally(env, ['--role', 'engineer', '--project', 'support-bot', '--name', 'agent@example.com']);
    keys['viewer'] = await createKeyLocally(env, ['--role', 'viewer', '--project', 'support-bot']);
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
  });

  it('lets an engineer\'s agent run two evals, compare them and read the failures', async () => {
    const agent = await connect(keys['engineer']!);
    const names = (await agent.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['runEval', 'listRuns', 'getRun', 'compareRuns', 'listRunResults', 'decideGate', 'listTraces', 'diffDatasetVersions', 'listAlerts']));
    const v1 = json(await agent.callTool({ name: 'runEval', arguments: { config: 'examples/support-bot/evalops.yaml', labels: { by: 'agent' } } }, undefined, LONG));
    const v2 = json(await agent.callTool({ name: 'runEval', arguments: { config: 'examples/support-bot/evalops.v2.yaml' } }, undefined, LONG));
    expect(v1.runId).toMatch(/^run_/);
    const runs = json(await agent.callTool({ name: 'listRuns', arguments: {} }));
    expect(runs.runs.map((r: { runId: string }) => r.runId)).toEqual([v2.runId, v1.runId]);
    const comparison = json(await agent.callTool({ name: 'compareRuns', arguments: { baselineRunId: v1.runId, candidateRunId: v2.runId } }, undefined, LONG));
    expect(JSON.stringify(comparison)).toContain('cites_policy');
    const failures = json(await agent.callTool({ name: 'listRunResults', arguments: { runId: v2.runId, failures: true, limit: 100 } }));
    expect(failures.items.length).toBeGreaterThan(0);
    expect(failures.items.length).toBeLessThan(90);
  }, 300_000);

  it('refuses a viewer\'s agent the run, with a tool error naming the role needed', async () => {
    const agent = await connect(keys['viewer']!);
    const names = (await agent.listTools()).tools.map((t) => t.name);
    expect(names).toContain('listRuns');
    expect(names).not.toContain('runEval');
    expect(names).not.toContain('decideGate');
    const refused = await agent.callTool({ name: 'runEval', arguments: { config: 'examples/support-bot/evalops.yaml' } });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain('runEval needs the runs:write permission (role engineer or above); this key has the viewer role');
    const gate = await agent.callTool({ name: 'decideGate', arguments: { body: {} } });
    expect(gate.isError).toBe(true);
    expect(text(gate)).toContain('this key has the viewer role');
  }, 120_000);

  it('refuses another project\'s config and run', async () => {
    const agent = await connect(keys['engineer']!);
    const config = await agent.callTool({ name: 'runEval', arguments: { config: elsewhere } });
    expect(config.isError).toBe(true);
    expect(text(config)).toContain('this key may not access project "elsewhere"');
    const run = await agent.callTool({ name: 'getRun', arguments: { runId: theirs } });
    expect(run.isError).toBe(true);
    expect(text(run)).toMatch(/^not_found: /);
    const list = await agent.callTool({ name: 'listRuns', arguments: { project: 'elsewhere' } });
    expect(text(list)).toContain('this key may not access project "elsewhere"');
  }, 120_000);

  it('exits 2 without a key, naming EVALOPS_API_KEY, and with an unknown key', async () => {
    const none = await runCli(['mcp'], { env: { ...env, EVALOPS_API_KEY: '' } });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('EVALOPS_API_KEY');
    expect(none.stdout).toBe('');
    const wrong = await runCli(['mcp', '--key', 'eo_00000000_notakey'], { env });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/cannot use this key/);
    const listed = await runCli(['mcp', '--list-tools', '--read-only'], { env: { ...env, EVALOPS_API_KEY: keys['engineer']! } });
    expect(listed.code, listed.stderr).toBe(0);
    const names = JSON.parse(listed.stdout).tools.map((t: { name: string }) => t.name);
    expect(names).toContain('getGateDecision');
    expect(names).not.toContain('decideGate');
    expect(names).not.toContain('runEval');
  }, 120_000);
});
