import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GateDecisionDocumentSchema } from '../../src/core/gate/gate-decision.js';
import { runCli } from '../cli/run-cli.js';
import { apiClient, createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';

/**
 * Gate decisions and overrides over the JSON API of a real `evalops serve`: the policy travels in the
 * request, the decision records it (admins included), overrides are judged by the key's name against
 * the recorded owners and admins, and the CLI's --server mode prints what local mode prints.
 */
describe('gate decisions and overrides over the API (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-api-gate-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  const v1cfg = 'examples/support-bot/evalops.yaml';
  const remote = (key: string) => ({ EVALOPS_API_KEY: key, EVALOPS_DATABASE_URL: 'sqlite:/nonexistent/never-opened.db' });
  const CITES_ONLY = { rules: [{ metric: 'cites_policy', noRegression: true, perSlice: true, action: 'block' }] };
  const SUPPORT_BOT_POLICY = {
    baseline: 'last-approved',
    rules: [
      { metric: 'cites_policy', noRegression: true, perSlice: true, action: 'block' },
      { metric: 'right_tool', min: 0.95, action: 'require_approval' },
      { failureClass: 'policy_boundary', maxFailures: 0, action: 'block' },
      { metric: 'cost_per_success', max: 0.001, action: 'narrow', rolloutPercent: 10 },
    ],
  };
  const reason = { reason: 'Spanish copy is fixed in the next deploy', evidence: 'https://tickets.example.com/42' };
  let serve: ServeProcess;
  let api: ReturnType<typeof apiClient>;
  let v1Run = '';
  let v2Run = '';
  let fullBlock = '';
  const keys: Record<string, string> = {};

  const run = async (config: string): Promise<string> => {
    const res = await runCli(['run', '-c', config, '--json'], { env });
    expect(res.code, res.stderr).toBe(0);
    return JSON.parse(res.stdout).runId as string;
  };
  const decide = (key: string, body: unknown) => api(key, 'POST', '/projects/support-bot/gate-decisions', body);

  beforeAll(async () => {
    v1Run = await run(v1cfg);
    serve = await startServe(env);
    api = apiClient(serve.url);
    const specs: Record<string, string[]> = {
      engineer: ['--role', 'engineer', '--project', 'support-bot', '--name', 'ci-bot'],
      viewer: ['--role', 'viewer', '--project', 'support-bot'],
      product: ['--role', 'owner', '--project', 'support-bot', '--name', 'product@example.com'],
      platform: ['--role', 'owner', '--project', 'support-bot', '--name', 'platform@example.com'],
      cto: ['--role', 'owner', '--project', 'support-bot', '--name', 'cto@example.com'],
      other: ['--role', 'owner', '--project', 'elsewhere', '--name', 'product@example.com'],
    };
    for (const [name, args] of Object.entries(specs)) keys[name] = await createKeyLocally(env, args);
  });

  afterAll(() => serve?.stop());

  it('records a decision for a key of the project, with the policy and the key name as actor', async () => {
    const res = await decide(keys['engineer']!, { policy: SUPPORT_BOT_POLICY });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(GateDecisionDocumentSchema.safeParse(res.body).success).toBe(true);
    expect(res.body).toMatchObject({ project: 'support-bot', outcome: 'approve', exitCode: 0, candidate: { runId: v1Run }, policy: { admins: [] } });
    const release = await api(keys['viewer'], 'GET', `/releases/${res.body.candidate.variant}?project=support-bot`);
    expect(release.status).toBe(200);
    expect(release.body.variantName).toBe(`./agent.ts#answer · ${res.body.candidate.variant.slice(0, 8)}`);
    expect(release.body.history.map((h: { actor: string; to: { status: string } }) => [h.actor, h.to.status])).toEqual([['ci-bot', 'approved']]);
  });

  it('refuses a viewer and another project\'s key, and bad policies with the field named, recording nothing', async () => {
    const before = (await api(keys['viewer'], 'GET', '/projects/support-bot/gate-decisions')).body.decisions.length;
    expect((await decide(keys['viewer']!, { policy: SUPPORT_BOT_POLICY })).status).toBe(403);
    const other = await decide(keys['other']!, { policy: SUPPORT_BOT_POLICY });
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe('this key may not access project "support-bot"');
    const cases: Array<[unknown, number, RegExp]> = [
      [{}, 400, /^body field policy: /],
      [{ policy: { rules: [{ metric: 'cites_policy', min: 0.9, action: 'blok' }] } }, 400, /body field policy\.rules\.0\.action/],
      [{ policy: { rules: [{ metric: 'cites_policy', min: 95, action: 'block' }] } }, 400, /policy\.rules\.0\.min: min is a pass rate between 0 and 1/],
      [{ policy: { rules: [] } }, 400, /policy\.rules: a gate needs at least one rule/],
      [{ policy: CITES_ONLY, metrics: [{ name: 'cites_policy', lifecycle: 'sometimes' }] }, 400, /body field metrics\.0\.lifecycle/],
      [{ policy: { rules: [{ metric: 'nope', min: 0.5, action: 'block' }] } }, 400, /unknown metric "nope"/],
      [{ policy: CITES_ONLY, candidate: 'run_missing' }, 404, /run run_missing not found/],
      [{ policy: CITES_ONLY, baseline: 'run_missing' }, 400, /baseline run run_missing does not exist/],
    ];
    for (const [body, status, message] of cases) {
      const res = await decide(keys['engineer']!, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await api(keys['viewer'], 'GET', '/projects/support-bot/gate-decisions')).body.decisions).toHaveLength(before);
  });

  it('gates with the CLI against the server: same decision as local mode, reports written, exit 1 on block', async () => {
    v2Run = await run('examples/support-bot/evalops.v2.yaml');
    const md = join(dir, 'pr.md');
    const junit = join(dir, 'junit.xml');
    const remoteGate = await runCli(['gate', '-c', v1cfg, '--server', serve.url, '--markdown', md, '--junit', junit, '--json'], { env: remote(keys['engineer']!) });
    expect(remoteGate.code, remoteGate.stderr).toBe(1);
    const doc = JSON.parse(remoteGate.stdout);
    fullBlock = doc.decisionId;
    expect(doc).toMatchObject({ outcome: 'block', candidate: { runId: v2Run }, baseline: { runId: v1Run, chosenBy: 'last-approved' } });
    expect(doc.owners).toEqual(expect.arrayContaining(['product@example.com', 'platform@example.com']));
    expect(readFileSync(md, 'utf8').split('\n')[0]).toMatch(/EvalOps gate: \*\*block\*\*/);
    expect(readFileSync(md, 'utf8')).toContain(doc.decisionId);
    expect(readFileSync(junit, 'utf8')).toMatch(/tests="5" failures="2"/); // 4 rules + the built-in error-rate rule

    const localGate = await runCli(['gate', '-c', v1cfg, '--json'], { env });
    expect(localGate.code, localGate.stderr).toBe(1);
    const local = JSON.parse(localGate.stdout);
    // The coverage windows end at the moment of each decision: compared without their times.
    const strip = ({ decisionId, createdAt, coverage, ...rest }: Record<string, unknown>) => (
      expect([decisionId, createdAt, coverage]).not.toContain(undefined), { ...rest, coverage: (coverage as { from: string; to: string }[]).map(({ from, to, ...m }) => m) }
    );
    expect(strip(local)).toEqual(strip(doc));
    expect(local.decisionId).not.toBe(doc.decisionId);
  });

  it('lists and shows decisions to the project\'s keys, the CLI printing with --server what it prints locally', async () => {
    const listed = await runCli(['gate', 'list', '--server', serve.url, '--json'], { env: remote(keys['viewer']!) });
    expect(listed.code, listed.stderr).toBe(0);
    const localList = await runCli(['gate', 'list', '--project', 'support-bot', '--json'], { env });
    expect(JSON.parse(listed.stdout)).toEqual(JSON.parse(localList.stdout));
    expect(JSON.parse(listed.stdout).decisions.map((d: { outcome: string }) => d.outcome)).toEqual(['block', 'block', 'approve']);
    const table = await runCli(['gate', 'list', '--server', serve.url], { env: remote(keys['viewer']!) });
    expect(table.stdout).toMatch(/\.\/agent-v2\.ts#answer · [0-9a-f]{8}/);

    const shown = await runCli(['gate', 'show', fullBlock, '--server', serve.url, '--json'], { env: remote(keys['viewer']!) });
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual(JSON.parse((await runCli(['gate', 'show', fullBlock, '--json'], { env })).stdout));
    expect(JSON.parse(shown.stdout)).toMatchObject({ decisionId: fullBlock, effectiveOutcome: 'block', overrides: [] });
    const text = await runCli(['gate', 'show', fullBlock, '--server', serve.url, '--junit', join(dir, 'again.xml')], { env: remote(keys['viewer']!) });
    expect(text.code, text.stderr).toBe(0);
    // Piped, not a TTY: the terminal report in plain text (the Markdown goes to --markdown).
    expect(text.stdout).toMatch(/^⛔ EvalOps gate: block$/m);
    expect(text.stdout).not.toContain('**');
    expect(readFileSync(join(dir, 'again.xml'), 'utf8')).toBe(readFileSync(join(dir, 'junit.xml'), 'utf8'));

    const theirs = await api(keys['other'], 'GET', `/gate-decisions/${fullBlock}`);
    const none = await api(keys['other'], 'GET', '/gate-decisions/gd_missing');
    expect([theirs.status, none.status]).toEqual([404, 404]);
    expect(theirs.body.error.message).toBe(`gate decision ${fullBlock} not found`);
    expect((await api(keys['other'], 'GET', '/projects/support-bot/gate-decisions')).status).toBe(403);
    expect((await api(keys['viewer'], 'GET', '/projects/support-bot/gate-decisions?limit=0')).body.error.message).toMatch(/query field limit/);
  });

  it('lets the owner of the failed metric override, by the key name; refuses other owners, viewers and other projects', async () => {
    const blocked = await decide(keys['engineer']!, { policy: CITES_ONLY, candidate: v2Run });
    expect(blocked.status, JSON.stringify(blocked.body)).toBe(201);
    expect(blocked.body).toMatchObject({ outcome: 'block', owners: ['product@example.com'] });
    const id = blocked.body.decisionId;
    const override = (key: string, body: unknown = reason) => api(key, 'POST', `/gate-decisions/${id}/overrides`, body);

    expect((await override(keys['viewer']!)).status).toBe(403);
    const notOwner = await override(keys['platform']!);
    expect(notOwner.status).toBe(403);
    expect(notOwner.body.error.message).toMatch(/platform@example\.com may not override .*product@example\.com/);
    const elsewhere = await override(keys['other']!);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.error.message).toBe(`gate decision ${id} not found`);
    const bad: Array<[unknown, RegExp]> = [
      [{ ...reason, evidence: 'trust me' }, /^body field evidence: must be an http\(s\) URL/],
      [{ ...reason, reason: 'because' }, /^body field reason: must say why in at least 10 characters/],
      [{ ...reason, outcome: 'narrow' }, /^body field percent: an override to narrow needs percent/],
      [{ ...reason, admins: ['product@example.com'] }, /body field admins: a server takes gate admins only from the policy recorded/],
    ];
    for (const [body, message] of bad) {
      const res = await override(keys['product']!, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }

    const done = await override(keys['product']!);
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    expect(done.body).toMatchObject({ override: { role: 'owner', actor: 'product@example.com', outcome: 'approve' }, decision: { outcome: 'block', effectiveOutcome: 'approve' }, release: { status: 'approved' } });
    const stored = await api(keys['viewer'], 'GET', `/gate-decisions/${id}`);
    expect(stored.body).toMatchObject({ outcome: 'block', effectiveOutcome: 'approve', overrides: [{ actor: 'product@example.com', role: 'owner', evidenceUrl: reason.evidence }] });
    const release = await api(keys['viewer'], 'GET', `/releases/${done.body.release.id}`);
    expect(release.body.history.at(-1)).toMatchObject({ actor: 'product@example.com', to: { status: 'approved' }, event: { type: 'gate', decisionId: id } });
    const again = await override(keys['product']!);
    expect(again.status).toBe(409);
  });

  it('keeps the policy admins with the decision: they may override on the server and locally, others may not', async () => {
    // The CLI's block was recorded with a policy without admins: cto@ may not override it.
    const refused = await runCli(['gate', 'override', fullBlock, '--server', serve.url, '--reason', reason.reason, '--evidence', reason.evidence, '--json'], { env: remote(keys['cto']!) });
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/^cto@example\.com may not override/) });

    const withAdmins = { policy: { ...CITES_ONLY, admins: ['cto@example.com'] }, candidate: v2Run, baseline: v1Run };
    const first = await decide(keys['engineer']!, withAdmins);
    const second = await decide(keys['engineer']!, withAdmins);
    expect([first.body.outcome, second.body.outcome]).toEqual(['block', 'block']);
    expect(first.body.policy.admins).toEqual(['cto@example.com']);

    const viaServer = await runCli(['gate', 'override', first.body.decisionId, '--server', serve.url, '--reason', reason.reason, '--evidence', reason.evidence, '--json'], { env: remote(keys['cto']!) });
    expect(viaServer.code, viaServer.stderr).toBe(0);
    expect(JSON.parse(viaServer.stdout)).toMatchObject({ override: { role: 'admin', actor: 'cto@example.com' }, decision: { effectiveOutcome: 'approve' } });
    // Locally, without any config, the admins recorded with the decision count the same way.
    const emptyDir = mkdtempSync(join(tmpdir(), 'evalops-no-config-'));
    const local = await runCli(['gate', 'override', second.body.decisionId, '--reason', reason.reason, '--evidence', reason.evidence, '--actor', 'cto@example.com', '--json'], { cwd: emptyDir, env });
    expect(local.code, local.stderr).toBe(0);
    expect(JSON.parse(local.stdout)).toMatchObject({ override: { role: 'admin', actor: 'cto@example.com' } });
    const stranger = await runCli(['gate', 'override', fullBlock, '--reason', reason.reason, '--evidence', reason.evidence, '--actor', 'cto@example.com'], { cwd: emptyDir, env });
    expect(stranger.code).toBe(2);
    expect(stranger.stderr).toMatch(/cto@example\.com may not override/);
  });

  it('lets an admin key override as a gate admin (it could mint a key named for any owner anyway)', async () => {
    const res = await api(serve.adminKey, 'POST', `/gate-decisions/${fullBlock}/overrides`, { ...reason, outcome: 'narrow', percent: 10 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ override: { role: 'admin', actor: 'bootstrap admin', outcome: 'narrow', rolloutPercent: 10 }, decision: { id: fullBlock, effectiveOutcome: 'narrow' } });
    const shown = await api(keys['viewer'], 'GET', `/gate-decisions/${fullBlock}`);
    expect(shown.body).toMatchObject({ outcome: 'block', effectiveOutcome: 'narrow', effectiveRolloutPercent: 10 });
    expect(shown.body.overrides.at(-1)).toMatchObject({ outcome: 'narrow', rolloutPercent: 10 });
    const listed = (await api(keys['viewer'], 'GET', '/projects/support-bot/gate-decisions')).body.decisions.find((d: { decisionId: string }) => d.decisionId === fullBlock);
    expect(listed).toMatchObject({ outcome: 'block', effectiveOutcome: 'narrow', effectiveRolloutPercent: 10 });
  });

  it('pages the decision list with a cursor, newest first, each decision once, with a readable variant name', async () => {
    const all = (await api(keys['viewer'], 'GET', '/projects/support-bot/gate-decisions?limit=1000')).body;
    expect(all.nextCursor).toBeUndefined();
    expect(all.decisions.length).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api(keys['viewer'], 'GET', `/projects/support-bot/gate-decisions?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      expect(page.body.decisions.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.decisions.map((d: { decisionId: string }) => d.decisionId));
      cursor = page.body.nextCursor;
    } while (cursor !== undefined && seen.length < 100);
    expect(seen).toEqual(all.decisions.map((d: { decisionId: string }) => d.decisionId));
    for (const d of all.decisions) expect(d.variantName).toMatch(new RegExp(`^\\./agent(-v2)?\\.ts#answer · ${d.variant.slice(0, 8)}$`));
    const shown = await api(keys['viewer'], 'GET', `/gate-decisions/${all.decisions[0].decisionId}`);
    expect(shown.body.variantName).toBe(all.decisions[0].variantName);
    expect((await api(keys['viewer'], 'GET', '/projects/support-bot/gate-decisions?cursor=nope!')).body.error.message).toMatch(/query field cursor: not a cursor/);
  });

  it('describes the gate operations in the OpenAPI document', async () => {
    const doc = (await api(keys['viewer'], 'GET', '/openapi.json')).body;
    expect(doc.paths['/projects/{project}/gate-decisions'].post.operationId).toBe('decideGate');
    expect(doc.paths['/projects/{project}/gate-decisions'].get.operationId).toBe('listGateDecisions');
    expect(doc.paths['/gate-decisions/{decisionId}'].get.operationId).toBe('getGateDecision');
    expect(doc.paths['/gate-decisions/{decisionId}/overrides'].post.operationId).toBe('overrideGateDecision');
    expect(doc.paths['/projects/{project}/gate-decisions'].post.responses['201']).toBeDefined();
  });
});
