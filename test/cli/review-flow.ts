import { cpSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { apiClient, createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';
import { REPO, runCli } from './run-cli.js';

/**
 * Issue 6 end to end, as a team would do it: run the support bot with its LLM judge (a scripted
 * local OpenAI-compatible server), gate (the uncalibrated judge can only ask for approval), route the
 * results into a review queue, two reviewers label over the real HTTP API in parallel, agreement,
 * adjudication of the disputes, a frozen gold set, calibration of the judge — with exactly the kappa
 * the script implies — and the gate honouring `calibrated`, then `stale` once the rubric changes.
 *
 * The script, over the 90 cases in file order (i = 0…89):
 * - humans (truth): poor / adequate / excellent for i mod 3 = 0 / 1 / 2 — 30 of each;
 * - the judge agrees except on i = 0…8: poor→adequate (0, 3, 6), adequate→excellent (1, 4, 7),
 *   excellent→adequate (2, 5, 8). Confusion (rows human): [27 3 0; 0 27 3; 0 3 27], so
 *   p_o = 81/90 = 0.9, p_e = (30·27 + 30·33 + 30·30)/90² = 1/3, κ = (0.9 − 1/3)/(2/3) = 0.85;
 *   TPR (adequate or excellent) = 60/60 = 1, TNR = 27/30 = 0.9.
 * - reviewer bo differs from ann (who gives the truth) on i = 9…14: poor→adequate (9, 12),
 *   adequate→excellent (10, 13), excellent→poor (11, 14). Ann × bo: [28 2 0; 0 28 2; 2 0 28] with
 *   both marginals 30/30/30: p_o = 84/90, p_e = 1/3, κ = (84/90 − 1/3)/(2/3) = 0.9.
 */
const LABELS = ['poor', 'adequate', 'excellent'] as const;
const CASES: { id: string; message: string }[] = readFileSync(join(REPO, 'examples/support-bot/data/cases.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { id: string; input: { message: string } })
  .map((c) => ({ id: c.id, message: c.input.message }));
const truth = (i: number): string => LABELS[i % 3]!;
const JUDGE_SHIFT: Record<number, string> = { 0: 'adequate', 3: 'adequate', 6: 'adequate', 1: 'excellent', 4: 'excellent', 7: 'excellent', 2: 'adequate', 5: 'adequate', 8: 'adequate' };
const judgeLabel = (i: number): string => JUDGE_SHIFT[i] ?? truth(i);
const BO_SHIFT: Record<number, string> = { 9: 'adequate', 12: 'adequate', 10: 'excellent', 13: 'excellent', 11: 'poor', 14: 'poor' };
const boLabel = (i: number): string => BO_SHIFT[i] ?? truth(i);
const indexOf = (exampleId: string): number => CASES.findIndex((c) => c.id === exampleId);

export function describeReviewFlow(dialect: string, databaseUrl: () => string): void {
  describe(`human review → gold set → calibration → gate (${dialect})`, () => {
    let judge: FakeOpenAIServer;
    let serve: ServeProcess;
    let dir: string;
    let env: Record<string, string>;
    let runId: string;
    const keys: Record<string, string> = {};

    beforeAll(async () => {
      judge = await startFakeOpenAI({
        respond: (req) => {
          const prompt = String(req.body?.messages?.at(-1)?.content ?? '');
          const i = CASES.findIndex((c) => prompt.includes(JSON.stringify(c.message).slice(1, -1)));
          return { json: { label: i < 0 ? 'poor' : judgeLabel(i), reason: `scripted verdict ${i}` } };
        },
      });
      dir = mkdtempSync(join(tmpdir(), 'evalops-review-flow-'));
      cpSync(join(REPO, 'examples/support-bot'), join(dir, 'bot'), { recursive: true });
      const config = readFileSync(join(dir, 'bot/evalops.yaml'), 'utf8').replace(/\ngate:[\s\S]*$/, '\n');
      // Only the judge gates here, so the outcome shows what its calibration status allows.
      writeFileSync(join(dir, 'bot/evalops.yaml'), `${config}gate:\n  baseline: last-approved\n  rules:\n    - { metric: helpfulness, min: 0.9, action: block }\nreview:\n  calibration: { minKappa: 0.6, minItems: 80 }\n`);
      env = { EVALOPS_DATABASE_URL: databaseUrl(), OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: judge.url, EVALOPS_ACTOR: 'lead@example.com' };
    });
    afterAll(async () => {
      serve?.stop();
      await judge?.close();
    });

    const cli = (args: string[]) => runCli([...args, '-c', join(dir, 'bot/evalops.yaml')], { env, cwd: dir });
    const json = async (args: string[], code = 0) => {
      const res = await cli([...args, '--json']);
      expect(res.code, res.stderr).toBe(code);
      return JSON.parse(res.stdout);
    };

    it('gates on an uncalibrated judge only by asking for approval', async () => {
      const run = await json(['run', '--no-cache']);
      runId = run.runId;
      expect(run.metrics.helpfulness).toMatchObject({ n: 90, passed: 63 });
      const gate = await json(['gate'], 3);
      expect(gate.outcome).toBe('require_approval');
      expect(gate.metrics.helpfulness).toMatchObject({ calibrated: false, calibration: 'uncalibrated' });
    });

    it('sets up a queue from the metric and routes every result into it once', async () => {
      const queue = await json(['review', 'queues', 'create', 'helpful', '--metric', 'helpfulness', '--reviewers', 'ann@example.com,bo@example.com', '--per-item', '2']);
      expect(queue.rubric).toMatchObject({ pass: ['adequate', 'excellent'], ordinal: true });
      expect(queue.rubric.labels.map((l: { label: string }) => l.label)).toEqual([...LABELS]);
      const added = await json(['review', 'add', 'helpful', '--run', runId, '--rule', 'low', '--sample', '1']);
      expect(added).toMatchObject({ considered: 90, added: 90, skipped: 0, byReason: { low: 27, sample: 63 } });
      const again = await json(['review', 'add', 'helpful', '--run', runId, '--rule', 'low']);
      expect(again).toMatchObject({ added: 0, skipped: 27 });
      const bad = await cli(['review', 'add', 'helpful', '--run', runId, '--rule', 'lowish']);
      expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--rule must be one of low, borderline, disagreement, errored')]);
    });

    it('lets two reviewers label in parallel over HTTP, each item exactly twice, refusing what breaks the rules', async () => {
      serve = await startServe(env);
      for (const who of ['ann@example.com', 'bo@example.com', 'cy@example.com']) keys[who] = await createKeyLocally(env, ['--role', 'reviewer', '--project', 'support-bot', '--name', who]);
      keys.viewer = await createKeyLocally(env, ['--role', 'viewer', '--project', 'support-bot', '--name', 'viewer@example.com']);
      keys.owner = await createKeyLocally(env, ['--role', 'owner', '--project', 'support-bot', '--name', 'owner@example.com']);
      const call = apiClient(serve.url);
      const base = '/projects/support-bot/review/queues/helpful';

      expect((await call(keys.viewer, 'POST', `${base}/next`)).status).toBe(403);
      expect((await call(keys['cy@example.com'], 'POST', `${base}/next`)).body.error.message).toMatch(/not a reviewer of queue "helpful"/);

      // Four parallel `next` calls by one reviewer hand out one item.
      const burst = await Promise.all([1, 2, 3, 4].map(() => call(keys['ann@example.com'], 'POST', `${base}/next`)));
      expect(new Set(burst.map((r) => r.body.item.id)).size).toBe(1);
      const first = burst[0]!.body.item;
      const outside = await call(keys['ann@example.com'], 'POST', `${base}/items/${first.id}/labels`, { label: 'superb' });
      expect([outside.status, outside.body.error.message]).toEqual([400, expect.stringContaining('not in the rubric')]);
      const notMine = await call(keys['bo@example.com'], 'POST', `${base}/items/${first.id}/labels`, { label: 'poor' });
      expect([notMine.status, notMine.body.error.message]).toEqual([403, expect.stringContaining('not assigned to bo@example.com')]);

      const labelAll = async (who: string, labelOf: (i: number) => string): Promise<number> => {
        let n = 0;
        for (;;) {
          const next = await call(keys[who], 'POST', `${base}/next`);
          expect(next.status).toBe(200);
          if (next.body.item === null) return n;
          const i = indexOf(next.body.item.exampleId);
          const res = await call(keys[who], 'POST', `${base}/items/${next.body.item.id}/labels`, { label: labelOf(i), seconds: 20 });
          expect(res.status, JSON.stringify(res.body)).toBe(201);
          n++;
        }
      };
      const [ann, bo] = await Promise.all([labelAll('ann@example.com', truth), labelAll('bo@example.com', boLabel)]);
      expect([ann, bo]).toEqual([90, 90]);
      const twice = await call(keys['ann@example.com'], 'POST', `${base}/items/${first.id}/labels`, { label: 'poor' });
      expect([twice.status, twice.body.error.message]).toEqual([409, expect.stringContaining('already labelled')]);

      const shown = await json(['review', 'queues', 'show', 'helpful']);
      expect(shown.progress).toMatchObject({ items: 90, complete: 90, settled: 84, disputed: 6, labels: 180 });
      expect(shown.progress.reviewers).toEqual([
        { reviewer: 'ann@example.com', labelled: 90, open: 0, seconds: 1800 },
        { reviewer: 'bo@example.com', labelled: 90, open: 0, seconds: 1800 },
      ]);
    });

    it("reports the reviewers' agreement and lets an owner settle the disputes", async () => {
      const agreement = await json(['review', 'agreement', 'helpful']);
      expect(agreement.percentAgreement.value).toBeCloseTo(84 / 90, 12);
      expect(agreement.cohenKappa.value).toBeCloseTo(0.9, 12);
      expect(agreement.cohenKappa.ci95[0]).toBeLessThan(0.9);
      expect(agreement.disagreements).toHaveLength(6);
      const call = apiClient(serve.url);
      const base = '/projects/support-bot/review/queues/helpful';
      const disputed = (await call(keys.viewer, 'GET', `${base}/items?status=disputed`)).body.items;
      expect(disputed.map((d: { exampleId: string }) => indexOf(d.exampleId)).sort((a: number, b: number) => a - b)).toEqual([9, 10, 11, 12, 13, 14]);
      expect((await call(keys['ann@example.com'], 'POST', `${base}/items/${disputed[0].id}/adjudicate`, { label: 'poor' })).status).toBe(403);
      for (const d of disputed) {
        const res = await call(keys.owner, 'POST', `${base}/items/${d.id}/adjudicate`, { label: truth(indexOf(d.exampleId)) });
        expect([res.status, res.body.truthBy]).toEqual([200, 'owner@example.com']);
      }
      expect((await json(['review', 'queues', 'show', 'helpful'])).progress).toMatchObject({ settled: 90, disputed: 0 });
    });

    it('freezes the settled labels as a gold set, versioned by content', async () => {
      const gold = await json(['gold', 'freeze', 'helpfulness']);
      expect(gold).toMatchObject({ metric: 'helpfulness', version: 1, items: 90, created: true });
      expect(await json(['gold', 'freeze', 'helpfulness'])).toMatchObject({ version: 1, created: false });
    });

    it('calibrates the judge to exactly the kappa the script implies, and the gate then lets it block', async () => {
      const calibrated = await json(['calibrate', 'helpfulness']);
      const { report } = calibrated;
      expect(report.kappa.value).toBeCloseTo(0.85, 12);
      expect(report).toMatchObject({ n: 90, errored: 0, status: 'calibrated', truePositiveRate: 1, why: [] });
      // Wilson (1927) intervals; at p = 1 the lower bound is n/(n + z²): 60/(60 + 1.959964²) for the TPR.
      expect(report.intervals.truePositiveRate[0]).toBeCloseTo(60 / (60 + 1.959964 ** 2), 5);
      expect(report.intervals.truePositiveRate[1]).toBeCloseTo(1, 12);
      expect(report.intervals.trueNegativeRate[0]).toBeLessThan(0.9);
      expect(report.intervals.trueNegativeRate[1]).toBeGreaterThan(0.9);
      expect(report.percentAgreement).toBeCloseTo(0.9, 12);
      expect(report.trueNegativeRate).toBeCloseTo(0.9, 12);
      expect(report.confusion).toEqual({ labels: [...LABELS], matrix: [[27, 3, 0], [0, 27, 3], [0, 3, 27]] });
      expect(report.disagreements).toHaveLength(9);
      const gate = await json(['gate'], 1);
      expect(gate.outcome).toBe('block');
      expect(gate.metrics.helpfulness).toMatchObject({ calibrated: true, calibration: 'calibrated' });
    });

    it('marks the judge stale once its rubric changes, and the gate goes back to asking for approval', async () => {
      appendFileSync(join(dir, 'bot/rubrics/helpfulness.md'), '\nA reply that only links to a policy without answering is poor.\n');
      await json(['run', '--no-cache']);
      const judges = await json(['judges']);
      expect(judges.judges).toEqual([expect.objectContaining({ metric: 'helpfulness', status: 'stale' })]);
      const gate = await json(['gate'], 3);
      expect(gate.metrics.helpfulness).toMatchObject({ calibrated: false, calibration: 'stale' });
      expect(gate.findings.find((f: { metric: string }) => f.metric === 'helpfulness').message).toMatch(/stale judge: can only require approval/);
    });

    it('promotes a reviewed failure into a dataset with the human label as the expected outcome', async () => {
      const exported = await cli(['review', 'export', 'helpful', '--status', 'settled']);
      const lines = exported.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(lines).toHaveLength(90);
      const poor = lines.find((l) => l.truth === 'poor');
      expect(poor.labels).toHaveLength(2);
      const promoted = await json(['review', 'promote', 'helpful', poor.id, '--dataset', 'escalations']);
      expect(promoted).toMatchObject({ dataset: 'escalations', created: true, examples: 1 });
      const shown = JSON.stringify(await json(['datasets', 'show', 'escalations']));
      expect(shown).toContain('"source":"escalation"');
      expect(shown).toContain('"label":"poor"');
      const burden = await json(['review', 'burden']);
      expect(burden).toMatchObject({ routedShare: 1, routedResults: 90, resultsInRoutedRuns: 90, labels: 180, settled: 90 });
      expect(burden.minutesPerLabel).toBeCloseTo(20 / 60, 12);
      const card = await json(['scorecard']);
      expect(card.metrics.find((m: { name: string }) => m.name === 'helpfulness').calibration).toBe('stale');
      expect(card.metrics.find((m: { name: string }) => m.name === 'cites_policy').calibration).toBeNull();
      expect(card.review).toMatchObject({ labels: 180, settled: 90 });
    });
  });
}
