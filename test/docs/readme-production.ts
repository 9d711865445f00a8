/**
 * The README's production walkthrough, kept true: the `sh` block of "Production monitoring" is read
 * from README.md and every line of it is run, in order, by the built CLI, exactly as written (`ALERT`
 * becomes the id of the alert `alerts list` shows). Between the evaluations and the alerts the test
 * plays production: 2.0.0 goes live and 2.1.0 becomes a 20% canary, and the app sends traffic stamped
 * with the names through the OpenTelemetry SDK (`service.version`), the canary's quality lower. Then
 * the canary monitor — which names "2.1.0" — must see the traffic and fire, and the rollback rule
 * added as `rollback-rule add 2.1.0` must roll the canary back.
 *
 * This is the scenario "a release is only a variant hash": before release names, `run --release`
 * did not exist, `rollback-rule add 2.1.0` failed (no release with id or variant 2.1.0) and a monitor
 * naming "2.1.0" never matched the releases' traffic. Run on SQLite and PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendCanaryTraffic, type CanaryTrafficResult } from '../../examples/support-bot/canary-traffic.js';
import type { Store } from '../../src/store/store.js';
import { BIN, REPO, runCli, type CliResult } from '../cli/run-cli.js';
import { startServe, type ServeProcess } from '../support/serve-process.js';

/** One line of the block: its words (double quotes honoured, `#` comments dropped) and the comment. */
export interface ReadmeCommand {
  readonly line: string;
  readonly argv: readonly string[];
  readonly comment: string;
}

/** The commands of the first `sh` block under the README heading that starts with `heading`. */
export function readmeCommands(markdown: string, heading: string): ReadmeCommand[] {
  const start = markdown.indexOf(`\n## ${heading}`);
  if (start < 0) throw new Error(`README.md has no section "## ${heading}"`);
  const end = markdown.indexOf('\n## ', start + 4);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error(`README.md section "${heading}" has no sh block`);
  return block
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
    .map((line) => ({ line, ...shellWords(line) }));
}

/** Splits a line as a POSIX shell would for these simple commands: words, double quotes, a trailing comment. */
export function shellWords(line: string): { argv: string[]; comment: string } {
  const argv: string[] = [];
  let word: string | null = null;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"') quoted = false;
      else word = (word ?? '') + c;
    } else if (c === '"') {
      quoted = true;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== null) argv.push(word);
      word = null;
    } else if (c === '#' && word === null) {
      return { argv, comment: line.slice(i + 1).trim() };
    } else word = (word ?? '') + c;
  }
  if (quoted) throw new Error(`unbalanced quote in: ${line}`);
  if (word !== null) argv.push(word);
  return { argv, comment: '' };
}

export interface ReadmeDatabase {
  readonly name: 'sqlite' | 'postgres';
  /** The environment naming the database for every process. */
  readonly env: Record<string, string>;
  readonly openStore: () => Promise<Store>;
}

export function readmeProductionSuite(makeDatabase: () => ReadmeDatabase): void {
  describe(`README production walkthrough, verbatim`, () => {
    const commands = readmeCommands(readFileSync(join(REPO, 'README.md'), 'utf8'), 'Production monitoring');
    let db: ReadmeDatabase;
    let env: Record<string, string>;
    let serve: ServeProcess;
    let store: Store;
    let worker: ChildProcess | undefined;
    let traffic: CanaryTrafficResult | undefined;
    let alertId = '';
    const ran: { line: string; result: CliResult }[] = [];

    beforeAll(async () => {
      db = makeDatabase();
      env = { ...db.env, EVALOPS_ACTOR: 'oncall@example.com', EVALOPS_SERVER_URL: '', EVALOPS_API_KEY: '' };
      store = await db.openStore();
      serve = await startServe(env);
    }, 120_000);
    afterAll(async () => {
      if (worker && worker.exitCode === null) worker.kill('SIGKILL');
      serve?.stop();
      await store?.close();
    });

    /** 2.0.0 live, 2.1.0 a 20% canary; the example's webhook removed (no delivery leaves the machine); traffic sent; the alert awaited. */
    async function playProduction(): Promise<void> {
      const project = await store.projects.findByName('support-bot');
      expect(project, 'the walkthrough created the project').toBeDefined();
      const projectId = project!.id;
      const live = await store.releases.resolve(projectId, '2.0.0');
      const canary = await store.releases.resolve(projectId, '2.1.0');
      expect(live.targetVariant).not.toBe(canary.targetVariant);
      await store.releases.apply(live.id, { type: 'gate', outcome: 'approve' }, 'ci@example.com');
      await store.releases.apply(live.id, { type: 'promote' }, 'ci@example.com');
      await store.releases.apply(canary.id, { type: 'gate', outcome: 'approve' }, 'ci@example.com');
      await store.releases.apply(canary.id, { type: 'promote', percent: 20 }, 'ci@example.com');
      for (const hook of await store.webhooks.list(projectId)) await store.webhooks.delete(projectId, hook.id);
      const ingest = (await store.apiKeys.create({ role: 'ingest', projectId, createdBy: 'test' })).plaintext;
      traffic = await sendCanaryTraffic({ endpoint: serve.url, apiKey: ingest, traces: 600, canaryShare: 0.4, live: { release: '2.0.0', citesPolicy: 0.95 }, canary: { release: '2.1.0', citesPolicy: 0.6 }, stamp: 'service.version' });
      // An app on a release nobody named: its spans are kept and listed.
      await sendCanaryTraffic({ endpoint: serve.url, apiKey: ingest, traces: 4, canaryShare: 0, live: { release: '2.2.0-rc1', citesPolicy: 1 }, canary: { release: '2.2.0-rc1', citesPolicy: 1 }, stamp: 'service.version', seed: 11 });
      const deadline = Date.now() + 240_000;
      for (;;) {
        const alert = (await store.alerts.list(projectId, {})).find((a) => a.title.includes('canary-cites-policy'));
        if (alert) {
          alertId = alert.id;
          return;
        }
        if (Date.now() > deadline) throw new Error(`the canary monitor did not fire; serve log:\n${serve.stderr().slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }

    it('runs every command of the block, in order, each exiting 0', async () => {
      expect(commands.length).toBeGreaterThan(10);
      let cwd = REPO;
      let produced = false;
      for (const command of commands) {
        const [program, ...args] = command.argv;
        if (program === 'cd') {
          cwd = join(cwd, args[0] as string);
          continue;
        }
        expect(program, command.line).toBe('evalops');
        if (args[0] === 'worker') {
          // The block says where the worker runs: its own process on PostgreSQL, inside `evalops serve` on SQLite.
          expect(command.comment).toMatch(/on PostgreSQL; on SQLite `evalops serve` runs the worker itself/);
          if (db.name === 'postgres') {
            worker = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
          }
          continue;
        }
        if (!produced && args[0] === 'alerts') {
          await playProduction();
          produced = true;
        }
        const argv = args.map((a) => (a === 'ALERT' ? alertId : a));
        const result = await runCli(argv, { cwd, env });
        ran.push({ line: command.line, result });
        expect(result.code, `${command.line}\n${result.stderr}`).toBe(0);
      }
      expect(produced).toBe(true);
    }, 600_000);

    const output = (prefix: string): string => {
      const found = ran.find((r) => r.line.startsWith(prefix));
      expect(found, `the README runs \`${prefix}\``).toBeDefined();
      return found!.result.stdout;
    };

    it('names the releases by the runs, and the rollback rule binds the canary by its name', async () => {
      const project = (await store.projects.findByName('support-bot'))!;
      const canary = await store.releases.resolve(project.id, '2.1.0');
      expect(canary.names).toEqual(['2.1.0']);
      const rules = await store.rollbackRules.forRelease(project.id, canary.id);
      expect(rules).toHaveLength(1);
      expect(output('evalops releases rollback-rule add 2.1.0')).toContain('release 2.1.0 is rolled back');
    });

    it("fires the monitor that names the canary 2.1.0 on the traffic stamped 2.1.0, and rolls the canary back", async () => {
      const project = (await store.projects.findByName('support-bot'))!;
      const alert = await store.alerts.getInProject(project.id, alertId);
      expect(alert.title).toContain('on canary 2.1.0');
      const evidence = alert.evidence as { current: { n: number }; rollbackActions?: { to?: string }[] };
      expect(evidence.rollbackActions?.[0]?.to).toBe('rolled_back');
      expect((await store.releases.resolve(project.id, '2.1.0')).status).toBe('rolled_back');
      expect((await store.releases.resolve(project.id, '2.0.0')).status).toBe('live');
      expect(output('evalops releases show 2.1.0')).toMatch(/rolled back/);
      expect(output('evalops alerts list')).toContain(alertId);
    });

    it('lists the canary\'s traces and failing scores by its name, and the unnamed release under "unknown"', () => {
      const canaryTraces = traffic!.traces.filter((t) => t.release === '2.1.0');
      const liveTraces = traffic!.traces.filter((t) => t.release === '2.0.0');
      const listed = output('evalops traces list --release 2.1.0');
      expect(canaryTraces.some((t) => listed.includes(t.traceId))).toBe(true);
      expect(liveTraces.some((t) => listed.includes(t.traceId))).toBe(false);
      const failing = output('evalops online scores --rule prod-quality --metric cites_policy --release 2.1.0 --failing');
      expect(canaryTraces.filter((t) => !t.cites).some((t) => failing.includes(t.traceId))).toBe(true);
      expect(liveTraces.some((t) => failing.includes(t.traceId))).toBe(false);
      const unknown = output('evalops releases unknown');
      expect(unknown).toContain('2.2.0-rc1');
      expect(unknown).not.toMatch(/\b2\.1\.0\b/);
    });
  });
}
