import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { apiClient, startServe, type ServeProcess } from '../support/serve-process.js';
import { runCli } from './run-cli.js';

/**
 * `evalops releases config set|show` and `releases diff` on the local database, and the same
 * operations over a real server: bad input is exit 2 / 400 naming the file, line and field; a
 * changed config for a release that has one is refused; only engineers write configs.
 */
describe('release configs (CLI and API)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-relcfg-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ana@example.com' };
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const v1 = file('v1.yaml', 'prompts:\n  system: { template: "You help." }\n  user:\n    template: |\n      Customer: {{input.question}}\n      Answer briefly.\nmodel: { id: "openai:gpt-4.1-mini", parameters: { temperature: 0 } }\n');
  const v2 = file(
    'v2.json',
    JSON.stringify({ prompts: { system: { template: 'You help kindly.' }, user: { template: 'Customer: {{input.question}}\nAnswer in one line.' } }, model: { id: 'openai:gpt-4.1', parameters: { temperature: 0 } }, tools: [{ name: 'lookup' }] }),
  );

  it('sets a config under a new name (a candidate release), shows it, and diffs two releases', async () => {
    const set = await runCli(['releases', 'config', 'set', '1.0.0', '--file', v1, '--project', 'shop', '--json'], { env });
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ changed: true, releaseCreated: true, release: { status: 'candidate', names: ['1.0.0'] } });
    expect((await runCli(['releases', 'config', 'set', '1.1.0', '--file', v2, '--project', 'shop'], { env })).code).toBe(0);
    const shown = await runCli(['releases', 'config', 'show', '1.0.0', '--project', 'shop', '--json'], { env });
    expect(JSON.parse(shown.stdout).config.model).toEqual({ id: 'openai:gpt-4.1-mini', parameters: { temperature: 0 } });
    const diff = await runCli(['releases', 'diff', '1.0.0', '1.1.0', '--project', 'shop'], { env });
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('~ model.id: "openai:gpt-4.1-mini" → "openai:gpt-4.1"');
    expect(diff.stdout).toContain('+ tools: {"lookup":{"name":"lookup"}}');
    expect(diff.stdout).toContain('    - Answer briefly.');
    expect(diff.stdout).toContain('    + Answer in one line.');
    const same = await runCli(['releases', 'diff', '1.0.0', '1.0.0', '--project', 'shop', '--json'], { env });
    expect(JSON.parse(same.stdout)).toMatchObject({ same: true, changes: [] });
  });

  it('exits 2 naming the file, line and field for a malformed config, and for a changed config of a release that has one', async () => {
    const bad = file('bad.yaml', 'prompts:\n  user: { template: "x" }\nmodel:\n  id: gpt-4\n');
    const res = await runCli(['releases', 'config', 'set', '2.0.0', '--file', bad, '--project', 'shop'], { env });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${bad}:4: field model.id: a model id is provider:model`);
    const typo = file('typo.json', '{"model": {"id": "openai:x", "parameters": {"temprature": 1}}}');
    const res2 = await runCli(['releases', 'config', 'set', '2.0.0', '--file', typo, '--project', 'shop'], { env });
    expect(res2.code).toBe(2);
    expect(res2.stderr).toMatch(/field model\.parameters: .*temprature/);
    const syntax = file('syntax.json', '{"model": {"id": ');
    expect((await runCli(['releases', 'config', 'set', '2.0.0', '--file', syntax, '--project', 'shop'], { env })).code).toBe(2);
    const changed = await runCli(['releases', 'config', 'set', '1.0.0', '--file', v2, '--project', 'shop'], { env });
    expect(changed.code).toBe(2);
    expect(changed.stderr).toContain('give the changed config a new release name');
    expect((await runCli(['releases', 'config', 'show', '2.0.0', '--project', 'shop'], { env })).code).toBe(2);
  });

  describe('over the API', () => {
    let serve: ServeProcess;
    const keys: Record<string, string> = {};
    beforeAll(async () => {
      const store = await openStore(env.EVALOPS_DATABASE_URL);
      const shop = await store.projects.ensure('shop');
      const other = await store.projects.ensure('other');
      for (const role of ['viewer', 'engineer'] as const) keys[role] = (await store.apiKeys.create({ role, projectId: shop.id, createdBy: 't' })).plaintext;
      keys['other'] = (await store.apiKeys.create({ role: 'engineer', projectId: other.id, createdBy: 't' })).plaintext;
      await store.close();
      serve = await startServe(env, ['--no-worker']);
    });
    afterAll(() => serve?.stop());

    it('PUT answers 201 for a new release, 200 when unchanged, 409 for another config; GET returns it; audited under the key', async () => {
      const api = apiClient(serve.url);
      const config = { model: { id: 'openai:gpt-4.1-mini' }, data: { greeting: 'hi' } };
      const created = await api(keys['engineer'], 'PUT', '/projects/shop/releases/3.0.0/config', { config });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ releaseCreated: true, changed: true, configHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect((await api(keys['engineer'], 'PUT', '/projects/shop/releases/3.0.0/config', { config })).status).toBe(200);
      expect((await api(keys['engineer'], 'PUT', '/projects/shop/releases/3.0.0/config', { config: { data: { greeting: 'hello' } } })).status).toBe(409);
      const got = await api(keys['viewer'], 'GET', '/projects/shop/releases/3.0.0/config');
      expect(got.body).toMatchObject({ config, configHash: created.body.configHash, release: { names: ['3.0.0'] } });
      const audit = await api(keys['viewer'], 'GET', '/projects/shop/audit?limit=1000');
      expect(audit.status).toBe(200);
      expect(JSON.stringify(audit.body)).toContain('release.config');
    });

    it('refuses a malformed config with a 400 naming the field, a viewer with 403, another project with 403', async () => {
      const api = apiClient(serve.url);
      const bad = await api(keys['engineer'], 'PUT', '/projects/shop/releases/4.0.0/config', { config: { model: { id: 'openai:x', parameters: { temperature: 5 } } } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('config.model.parameters.temperature');
      const extra = await api(keys['engineer'], 'PUT', '/projects/shop/releases/4.0.0/config', { config: {}, share: 3 });
      expect(extra.status).toBe(400);
      expect((await api(keys['viewer'], 'PUT', '/projects/shop/releases/4.0.0/config', { config: {} })).status).toBe(403);
      expect((await api(keys['other'], 'PUT', '/projects/shop/releases/4.0.0/config', { config: {} })).status).toBe(403);
      expect((await api(keys['other'], 'GET', '/projects/shop/releases/3.0.0/config')).status).toBe(403);
      expect((await api(keys['engineer'], 'GET', '/projects/shop/releases/4.0.0/config')).status).toBe(404);
    });

    it('refuses a share outside 0–100 naming the field: 400 over the API, exit 2 in the CLI', async () => {
      const api = apiClient(serve.url);
      for (const percent of [0, 101, -5, 12.5]) {
        const res = await api(keys['engineer'], 'POST', '/releases/3.0.0/promote?project=shop', { percent });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain('percent');
      }
      const cli = await runCli(['releases', 'promote', '3.0.0', '--percent', '150', '--project', 'shop'], { env });
      expect(cli.code).toBe(2);
      expect(cli.stderr).toContain('--percent');
    });
  });
});
