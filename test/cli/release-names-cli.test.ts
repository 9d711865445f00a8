/**
 * Release names end to end on the built CLI and a real server: `evalops run --release` and
 * `release:` in the config name the release of the run's variant; a name taken by another variant
 * exits 2 naming both before anything runs (409 from the API); every release command takes the name;
 * `online apply` says when a monitor names a release no release has; spans with an unknown name are
 * stored, listed by `releases unknown` and found by `traces list --release`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';
import { REPO, runCli } from './run-cli.js';

describe('release names (built CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-names-'));
  const url = `sqlite:${join(dir, 'db.sqlite')}`;
  const env = { EVALOPS_DATABASE_URL: url, EVALOPS_ACTOR: 'ana@example.com', EVALOPS_SERVER_URL: '', EVALOPS_API_KEY: '' };
  const example = join(REPO, 'examples/support-bot');
  let v1: { runId: string; target: { variant: string }; release: { id: string; name: string; names: string[] } | null };
  let serve: ServeProcess | undefined;

  beforeAll(async () => {
    const res = await runCli(['run', '--release', '2.0.0', '--json'], { cwd: example, env });
    expect(res.code, res.stderr).toBe(0);
    v1 = JSON.parse(res.stdout);
  }, 120_000);
  afterAll(() => serve?.stop());

  it('names the release of the run\'s variant, with the run as its candidate, audited', async () => {
    expect(v1.release).toMatchObject({ name: '2.0.0', names: ['2.0.0'], id: expect.stringMatching(/^rel_/) });
    const shown = await runCli(['releases', 'show', '2.0.0', '--project', 'support-bot', '--json'], { env });
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: v1.release!.id, name: '2.0.0', names: ['2.0.0'], variant: v1.target.variant, candidateRunId: v1.runId, status: 'candidate' });
    const audit = await runCli(['audit', 'list', '--project', 'support-bot', '--json'], { env });
    expect(JSON.parse(audit.stdout).entries).toContainEqual(expect.objectContaining({ action: 'release.name', actor: 'ana@example.com', entityId: v1.release!.id }));
  });

  it('runs the same variant under its name again without complaint', async () => {
    const again = await runCli(['run', '--release', '2.0.0', '--json'], { cwd: example, env });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).release).toMatchObject({ id: v1.release!.id, names: ['2.0.0'] });
  });

  it('refuses a name taken by another variant with exit 2 naming both, before anything runs', async () => {
    const store = await openStore(url);
    const runsBefore = (await store.runs.list((await store.projects.findByName('support-bot'))!.id, { limit: 1000 })).length;
    await store.close();
    const res = await runCli(['run', '-c', 'evalops.v2.yaml', '--release', '2.0.0', '--json'], { cwd: example, env });
    expect(res.code).toBe(2);
    const error = JSON.parse(res.stdout).error as { code: string; message: string };
    expect(error.code).toBe('conflict');
    expect(error.message).toContain('release name "2.0.0" already belongs to variant');
    expect(error.message).toContain(v1.target.variant);
    const after = await openStore(url);
    const project = (await after.projects.findByName('support-bot'))!;
    expect((await after.runs.list(project.id, { limit: 1000 })).length).toBe(runsBefore);
    await after.close();
    const text = await runCli(['run', '-c', 'evalops.v2.yaml', '--release', '2.0.0'], { cwd: example, env });
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/release name "2\.0\.0" already belongs to variant [0-9a-f]+ .*; this variant is [0-9a-f]+/);
  });

  it('takes `release:` from the config, and the --release flag over it', async () => {
    const config = join(example, 'evalops.v2.yaml');
    const withRelease = join(dir, 'evalops.v2.release.yaml');
    writeFileSync(withRelease, readFileSync(config, 'utf8').replace('project: support-bot', 'project: support-bot\nrelease: "2.1.0"').replace(/\.\/(agent-v2\.ts|data|scorers|schemas|rubrics)/g, `${example}/$1`));
    const res = await runCli(['run', '-c', withRelease, '--json'], { env });
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).release).toMatchObject({ name: '2.1.0' });
    const flag = await runCli(['run', '-c', withRelease, '--release', 'git-3f9c2e1', '--json'], { env });
    expect(flag.code, flag.stderr).toBe(0);
    expect(JSON.parse(flag.stdout).release).toMatchObject({ name: 'git-3f9c2e1', names: ['2.1.0', 'git-3f9c2e1'] });
    const bad = await runCli(['run', '-c', withRelease, '--release', 'rel_oops'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('release name: "rel_oops" looks like a release id');
  });

  it('moves and binds releases by name: promote, rollback-rule add, releases name', async () => {
    const store = await openStore(url);
    const project = (await store.projects.findByName('support-bot'))!;
    const release = await store.releases.resolve(project.id, '2.1.0');
    await store.releases.apply(release.id, { type: 'gate', outcome: 'approve' }, 'ci');
    await store.close();
    const promoted = await runCli(['releases', 'promote', '2.1.0', '--percent', '20', '--project', 'support-bot', '--json'], { env });
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(JSON.parse(promoted.stdout)).toMatchObject({ name: '2.1.0', status: 'canary', canaryPercent: 20 });
    const applied = await runCli(['online', 'apply', 'online.yaml', '--project', 'support-bot'], { cwd: example, env });
    expect(applied.code, applied.stderr).toBe(0);
    // Both releases the example names exist now, so no notice.
    expect(applied.stderr).not.toContain('no release of support-bot is named');
    const rule = await runCli(['releases', 'rollback-rule', 'add', '2.1.0', '--monitor', 'canary-cites-policy', '--project', 'support-bot', '--json'], { env });
    expect(rule.code, rule.stderr).toBe(0);
    expect(JSON.parse(rule.stdout)).toMatchObject({ release: release.id, releaseName: '2.1.0', monitor: 'canary-cites-policy' });
    const taken = await runCli(['releases', 'name', '2.1.0', '2.0.0', '--project', 'support-bot'], { env });
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('release name "2.0.0" already belongs to variant');
    const named = await runCli(['releases', 'name', '2.1.0', 'image:support-bot-7', '--project', 'support-bot'], { env });
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toContain('is now also named image:support-bot-7');
  });

  it('says at online apply when a monitor names a release that no release has', async () => {
    const file = join(dir, 'online-typo.yaml');
    writeFileSync(file, readFileSync(join(example, 'online.yaml'), 'utf8').replace('canary: "2.1.0"', 'canary: "2.1.O"'));
    const res = await runCli(['online', 'apply', file, '--project', 'support-bot'], { env });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('monitors.0.detector.canary: no release of support-bot is named "2.1.O" yet');
  });

  it('answers the API with 409 naming both variants, and lists spans of an unknown release, never dropping them', async () => {
    const owner = await createKeyLocally(env, ['--role', 'owner', '--project', 'support-bot', '--name', 'owner@example.com']);
    const ingest = await createKeyLocally(env, ['--role', 'ingest', '--project', 'support-bot', '--name', 'app']);
    serve = await startServe(env, ['--no-worker']);
    const conflict = await fetch(`${serve.url}/api/v1/projects/support-bot/releases/2.1.0/names`, { method: 'POST', headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: '2.0.0' }) });
    expect(conflict.status).toBe(409);
    const body = (await conflict.json()) as { error: { message: string } };
    expect(body.error.message).toContain(v1.target.variant);
    const missing = await fetch(`${serve.url}/api/v1/projects/support-bot/releases/2.1.0/names`, { method: 'POST', headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' }, body: JSON.stringify({}) });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(await missing.json())).toContain('name');
    const ns = (ms: number): string => String(BigInt(ms) * 1_000_000n);
    const now = Date.now();
    const otlp = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'support-bot' } }, { key: 'service.version', value: { stringValue: '9.9.9-unnamed' } }] },
          scopeSpans: [{ spans: [{ traceId: 'aa'.repeat(16), spanId: 'bb'.repeat(8), name: 'answer', kind: 2, startTimeUnixNano: ns(now - 5000), endTimeUnixNano: ns(now - 4000) }] }],
        },
      ],
    };
    const sent = await fetch(`${serve.url}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${ingest}`, 'content-type': 'application/json' }, body: JSON.stringify(otlp) });
    expect(sent.status).toBe(200);
    const unknown = await runCli(['releases', 'unknown', '--project', 'support-bot', '--json'], { env });
    expect(unknown.code, unknown.stderr).toBe(0);
    expect(JSON.parse(unknown.stdout).unknownReleases).toEqual([expect.objectContaining({ name: '9.9.9-unnamed', traces: 1, spans: 1 })]);
    const listed = await runCli(['traces', 'list', '--release', '9.9.9-unnamed', '--project', 'support-bot', '--json'], { env });
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).traces.map((t: { traceId: string }) => t.traceId)).toEqual(['aa'.repeat(16)]);
    const text = await runCli(['releases', 'list', '--project', 'support-bot'], { env });
    expect(text.stdout).toMatch(/2\.1\.0, git-3f9c2e1, image:support-bot-7/);
    expect(text.stdout).toContain('1 unknown release name(s) on spans: 9.9.9-unnamed');
  });
});
