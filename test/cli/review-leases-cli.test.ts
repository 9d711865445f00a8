import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { runCli } from './run-cli.js';

/**
 * The review commands of everyday use, end to end on the built CLI and a SQLite file: a nominal
 * queue with its own lease, items from an id file (comments, blank lines; an unknown id names its
 * line) and from a trace-list filter, skip and release, and the agreement of every reviewer pair.
 */
describe('evalops review: --file, --filter, --nominal, --lease-minutes, skip, release, pairwise agreement', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-review-leases-cli-'));
  const env = (actor = 'lead@example.com') => ({ EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: actor });
  const cli = (args: string[], actor?: string) => runCli([...args, '-c', 'examples/support-bot/evalops.yaml'], { env: env(actor) });
  const json = async (args: string[], actor?: string) => {
    const r = await cli([...args, '--json'], actor);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  let judge: FakeOpenAIServer;
  let runId = '';

  beforeAll(async () => {
    judge = await startFakeOpenAI({ respond: () => ({ json: { label: 'adequate', reason: 'scripted' } }) });
    const run = await runCli(['run', '-c', 'examples/support-bot/evalops.yaml', '--json', '--no-cache'], { env: { ...env(), OPENAI_API_KEY: 'test', OPENAI_BASE_URL: judge.url } });
    expect(run.code, run.stderr).toBe(0);
    runId = JSON.parse(run.stdout).runId;
  });
  afterAll(async () => {
    await judge?.close();
  });

  it('creates a nominal queue with its own lease, and refuses a lease out of range naming the flag', async () => {
    const q = await json(['review', 'queues', 'create', 'topics', '--metric', 'helpfulness', '--nominal', '--lease-minutes', '15']);
    expect(q.rubric.ordinal).toBe(false);
    expect(q.leaseMinutes).toBe(15);
    const text = await cli(['review', 'queues', 'create', 'ordered', '--metric', 'helpfulness']);
    expect(text.stdout).toMatch(/lease 30 min/);
    expect(text.stdout).not.toMatch(/nominal/);
    for (const bad of ['0', '10081', 'soon']) {
      const r = await cli(['review', 'queues', 'create', 'bad', '--metric', 'helpfulness', '--lease-minutes', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--lease-minutes/);
    }
  });

  it('adds the examples of an id file, skipping comments and blank lines', async () => {
    writeFileSync(join(dir, 'ids.txt'), '# the refund cases\naccount-en-01\n\n  account-en-02  \n# done\naccount-es-01\n');
    const added = await json(['review', 'add', 'topics', '--run', runId, '--file', join(dir, 'ids.txt')]);
    expect(added).toMatchObject({ added: 3, skipped: 0, byReason: { manual: 3 } });
  });

  it('names the line of an unknown or malformed id, with exit 2, and adds nothing', async () => {
    writeFileSync(join(dir, 'bad.txt'), 'account-en-01\n# comment\nno-such-example\n');
    const r = await cli(['review', 'add', 'ordered', '--run', runId, '--file', join(dir, 'bad.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(dir, 'bad.txt')}:3`);
    expect(r.stderr).toContain('no-such-example');
    writeFileSync(join(dir, 'traces.txt'), '# traces\n\nnot-a-trace-id\n');
    const t = await cli(['review', 'add', 'ordered', '--file', join(dir, 'traces.txt')]);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain(`${join(dir, 'traces.txt')}:3`);
    writeFileSync(join(dir, 'unknown-trace.txt'), `${'ab'.repeat(16)}\n`);
    const u = await cli(['review', 'add', 'ordered', '--file', join(dir, 'unknown-trace.txt')]);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain(`${join(dir, 'unknown-trace.txt')}:1`);
    expect((await json(['review', 'queues', 'show', 'ordered'])).progress.items).toBe(0);
  });

  it('adds the traces a trace-list filter selects, and names a bad filter key', async () => {
    const none = await json(['review', 'add', 'ordered', '--filter', 'hasFeedback=negative', '--filter', 'limit=10']);
    expect(none).toMatchObject({ added: 0, considered: 0 });
    const bad = await cli(['review', 'add', 'ordered', '--filter', 'colour=red']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--filter colour/);
    const malformed = await cli(['review', 'add', 'ordered', '--filter', 'hasFeedback']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/KEY=VALUE/);
  });

  it('skips (the next item comes, never that one again) and releases (back to the queue), with exit 2 for an item not held', async () => {
    const first = (await json(['review', 'next', 'topics'], 'ann')).item;
    const skipped = await json(['review', 'skip', 'topics', first.id], 'ann');
    expect(skipped).toMatchObject({ id: first.id, assigned: 0 });
    const second = (await json(['review', 'next', 'topics'], 'ann')).item;
    expect(second.id).not.toBe(first.id);
    const released = await cli(['review', 'release', 'topics', second.id], 'ann');
    expect(released.code, released.stderr).toBe(0);
    expect(released.stdout).toMatch(/released .* back in topics/);
    const again = await cli(['review', 'release', 'topics', second.id], 'ann');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/not held by ann/);
    expect((await json(['review', 'next', 'topics'], 'bo')).item.id).toBe(first.id);
    const audit = JSON.stringify(await json(['audit', 'list']));
    expect(audit).toMatch(/review\.skip/);
    expect(audit).toMatch(/review\.release/);
  });

  it("reports every reviewer pair's kappa, and refuses an unknown pair naming it", async () => {
    await json(['review', 'queues', 'create', 'pairs', '--metric', 'helpfulness', '--per-item', '2']);
    await json(['review', 'add', 'pairs', '--run', runId, '--example', 'account-en-01', '--example', 'account-en-02', '--example', 'account-en-03', '--example', 'account-es-01']);
    const plan: Record<string, string[]> = { ann: ['poor', 'adequate', 'excellent', 'adequate'], bo: ['poor', 'excellent', 'excellent', 'poor'] };
    for (const [who, labels] of Object.entries(plan)) {
      for (;;) {
        const item = (await json(['review', 'next', 'pairs'], who)).item;
        if (item === null) break;
        await json(['review', 'label', 'pairs', item.id, labels[item.position]!], who);
      }
    }
    const agreement = await json(['review', 'agreement', 'pairs']);
    expect(agreement.pairwise).toHaveLength(1);
    // The labels of the web test's worked example: κ = 1/3, linear 0.5, quadratic 2/3.
    expect(agreement.pairwise[0].unweighted.value).toBeCloseTo(1 / 3, 10);
    expect(agreement.pairwise[0].linear.value).toBeCloseTo(0.5, 10);
    expect(agreement.pairwise[0].quadratic.value).toBeCloseTo(2 / 3, 10);
    const text = await cli(['review', 'agreement', 'pairs']);
    expect(text.stdout).toMatch(/ann × bo\s+4\s+0\.333 \[/);
    expect(text.stdout).toMatch(/per label \(95% bootstrap interval over items\)/);
    const unknown = await cli(['review', 'agreement', 'pairs', '--pair', 'ann,zed']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/pair.*"zed"/);
  }, 180_000); // some twenty CLI processes, one after the other
});
