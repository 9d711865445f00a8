import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../src/api/operations.js';
import { permits, type Role } from '../../src/auth/roles.js';
import { KeyedLocalApiCaller } from '../../src/client/keyed-local-api-caller.js';
import { createMcpServer } from '../../src/mcp/create-mcp-server.js';
import { evalopsMcpTools } from '../../src/mcp/evalops-mcp-tools.js';
import { openStore, type Store } from '../../src/store/store.js';

/**
 * The MCP tools of `evalops mcp`, through the SDK's own client over an in-memory transport pair, on a
 * real SQLite store with real API keys: every operation of the table is a tool (key management
 * withheld), each call goes through the key's role and project, and a refusal is a tool error.
 */
describe('evalops mcp tools (in-memory transport)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-mcp-'));
  const url = `sqlite:${join(dir, 'db.sqlite')}`;
  let store: Store;
  const keys: Record<string, string> = {};
  let shopRun = '';
  let otherRun = '';
  const clients: Client[] = [];

  /** A connected client for a key, as `evalops mcp` would serve it (the key's project is the default). */
  const connect = async (key: string, role: Role, options: { project?: string; readOnly?: boolean } = {}): Promise<Client> => {
    const caller = new KeyedLocalApiCaller(await openStore(url), key);
    const server = createMcpServer({ version: 'test', role, readOnly: options.readOnly === true, tools: evalopsMcpTools(caller, options.project ? { defaultProject: options.project } : {}) });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'test-agent', version: '1' });
    await client.connect(clientSide);
    clients.push(client);
    return client;
  };
  const text = (result: Awaited<ReturnType<Client['callTool']>>): string => (result.content as { type: string; text: string }[]).map((c) => c.text).join('\n');
  const json = (result: Awaited<ReturnType<Client['callTool']>>): any => {
    expect(result.isError, text(result)).toBeFalsy();
    return JSON.parse(text(result));
  };

  beforeAll(async () => {
    store = await openStore(url);
    const shop = (await store.projects.ensure('shop')).id;
    const other = (await store.projects.ensure('other')).id;
    for (const [name, projectId] of [['shop', shop], ['other', other]] as const) {
      const { version } = await store.datasets.saveVersion(projectId, 'cases', `hash-${name}`, [{ id: 'a', input: `hello from ${name}`, metadata: {}, slices: [], source: 'manual' }]);
      const run = await store.runs.create({ projectId, datasetVersionId: version.id, targetType: 'module', targetVariant: `v-${name}`, metrics: [], labels: {}, repeat: 1 });
      if (name === 'shop') shopRun = run.id;
      else otherRun = run.id;
    }
    for (const role of ['viewer', 'engineer', 'admin'] as const) keys[role] = (await store.apiKeys.create({ role, projectId: shop, name: `${role}@shop`, createdBy: 'test' })).plaintext;
    keys['instance'] = (await store.apiKeys.create({ role: 'admin', projectId: null, name: 'root', createdBy: 'test' })).plaintext;
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await store.close();
  });

  it('lists one tool per operation the role permits, named by operationId, with the API schema of its arguments', async () => {
    const client = await connect(keys['admin']!, 'admin', { project: 'shop' });
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    const expected = OPERATIONS.filter((o) => o.permission !== 'keys:manage').map((o) => o.id);
    expect(names.filter((n) => n !== 'runEval').sort()).toEqual([...expected].sort());
    expect(names).not.toContain('createKey');
    const results = tools.find((t) => t.name === 'listRunResults')!;
    expect(results.inputSchema.required).toEqual(['runId']);
    expect(Object.keys(results.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['runId', 'limit', 'offset', 'failures', 'metric', 'slice']));
    expect(results.annotations?.readOnlyHint).toBe(true);
    const importTool = tools.find((t) => t.name === 'importDatasetVersion')!;
    expect(importTool.annotations?.readOnlyHint).toBe(false);
    expect(Object.keys(importTool.inputSchema.properties ?? {})).toEqual(['project', 'dataset', 'body']);
    // project defaults to the key's: not required
    expect(importTool.inputSchema.required).toEqual(['dataset', 'body']);
  });

  it('offers a viewer only the tools its role permits', async () => {
    const client = await connect(keys['viewer']!, 'viewer', { project: 'shop' });
    const { tools } = await client.listTools();
    const byId = new Map(OPERATIONS.map((o) => [o.id, o]));
    for (const t of tools) expect(permits('viewer', byId.get(t.name)!.permission), t.name).toBe(true);
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['listRuns', 'getRun', 'compareRuns', 'listTraces', 'diffDatasetVersions', 'listAlerts']));
    expect(tools.map((t) => t.name)).not.toContain('decideGate');
    expect(tools.map((t) => t.name)).not.toContain('importDatasetVersion');
  });

  it('answers a read with the operation\'s result, the project defaulting to the key\'s', async () => {
    const client = await connect(keys['viewer']!, 'viewer', { project: 'shop' });
    const datasets = json(await client.callTool({ name: 'listDatasets', arguments: {} }));
    expect(JSON.stringify(datasets)).toContain('cases');
    const run = json(await client.callTool({ name: 'getRun', arguments: { runId: shopRun } }));
    expect(run.runId).toBe(shopRun);
    const version = json(await client.callTool({ name: 'getDatasetVersion', arguments: { dataset: 'cases' } }));
    expect(JSON.stringify(version)).toContain('hello from shop');
    expect(JSON.stringify(version)).not.toContain('hello from other');
  });

  it('refuses a write the role does not permit with a tool error naming the role needed', async () => {
    const client = await connect(keys['viewer']!, 'viewer', { project: 'shop' });
    const result = await client.callTool({ name: 'importDatasetVersion', arguments: { dataset: 'cases', body: { examples: [{ input: 'x' }] } } });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/importDatasetVersion needs the datasets:write permission \(role engineer or above\); this key has the viewer role/);
    // nothing was written
    const version = json(await client.callTool({ name: 'getDatasetVersion', arguments: { dataset: 'cases' } }));
    expect(JSON.stringify(version)).not.toContain('"x"');
    // the server keeps serving after the refusal
    expect(json(await client.callTool({ name: 'whoAmI', arguments: {} })).role).toBe('viewer');
  });

  it('refuses the role check at the store too, whatever the server was told the role is', async () => {
    // A server told "admin" for a viewer key still cannot write: every call authenticates the key.
    const client = await connect(keys['viewer']!, 'admin', { project: 'shop' });
    const result = await client.callTool({ name: 'importDatasetVersion', arguments: { dataset: 'cases', body: { examples: [{ input: 'x' }] } } });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('datasets:write needs the engineer role; this key has the viewer role');
  });

  it('refuses another project, by name and by id, as the API does', async () => {
    const client = await connect(keys['admin']!, 'admin', { project: 'shop' });
    const byName = await client.callTool({ name: 'listRuns', arguments: { project: 'other' } });
    expect(byName.isError).toBe(true);
    expect(text(byName)).toContain('this key may not access project "other"');
    const byId = await client.callTool({ name: 'getRun', arguments: { runId: otherRun } });
    expect(byId.isError).toBe(true);
    expect(text(byId)).toMatch(/^not_found: /);
    expect(text(byId)).not.toContain('other');
    // an instance-wide admin key reaches both
    const root = await connect(keys['instance']!, 'admin');
    expect(json(await root.callTool({ name: 'getRun', arguments: { runId: otherRun } })).project).toBe('other');
  });

  it('lets an engineer write, and --read-only takes the writes away', async () => {
    const engineer = await connect(keys['engineer']!, 'engineer', { project: 'shop' });
    const imported = json(await engineer.callTool({ name: 'importDatasetVersion', arguments: { dataset: 'fresh', body: { examples: [{ id: 'n1', input: 'new one' }] } } }));
    expect(imported).toMatchObject({ project: 'shop', dataset: 'fresh', examples: 1, created: true });
    const readOnly = await connect(keys['engineer']!, 'engineer', { project: 'shop', readOnly: true });
    const names = (await readOnly.listTools()).tools.map((t) => t.name);
    expect(names).toContain('listRuns');
    expect(names).not.toContain('importDatasetVersion');
    expect(names).not.toContain('decideGate');
    const refused = await readOnly.callTool({ name: 'importDatasetVersion', arguments: { dataset: 'fresh2', body: { examples: [{ input: 'y' }] } } });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain('started with --read-only');
  });

  it('answers bad arguments with a tool error naming the field, as the API would', async () => {
    const client = await connect(keys['viewer']!, 'viewer', { project: 'shop' });
    const badLimit = await client.callTool({ name: 'listRuns', arguments: { limit: 0 } });
    expect(badLimit.isError).toBe(true);
    expect(text(badLimit)).toMatch(/^usage: query field limit: /);
    const unknownArg = await client.callTool({ name: 'listRuns', arguments: { limt: 5 } });
    expect(text(unknownArg)).toContain('unknown argument "limt" for listRuns');
    const failuresOnly = json(await client.callTool({ name: 'listRunResults', arguments: { runId: shopRun, failures: true } }));
    expect(failuresOnly.items).toEqual([]);
    await expect(client.callTool({ name: 'noSuchTool', arguments: {} })).rejects.toThrow(/unknown tool "noSuchTool"/);
  });

  it('names in docs/agents.md only tools that exist, each with the right least role', async () => {
    const doc = readFileSync('docs/agents.md', 'utf8');
    const table = doc.slice(doc.indexOf('### Tools'));
    const named = [...table.matchAll(/`(\w+)`/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(80);
    const client = await connect(keys['instance']!, 'admin');
    const tools = new Set((await client.listTools()).tools.map((t) => t.name));
    tools.add('runEval'); // local tool, offered by the CLI on the local database
    for (const name of named) expect(tools.has(name), `docs/agents.md names ${name}`).toBe(true);
  });
});
