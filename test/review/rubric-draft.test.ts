import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importModule } from '../../src/config/import-module.js';
import { loadConfig, type LoadedConfig } from '../../src/config/load-config.js';
import type { Rubric } from '../../src/core/review/rubric.js';
import { createModelPort } from '../../src/models/ai-sdk-model-port.js';
import { draftRubric, splitGold } from '../../src/review/draft-rubric.js';
import type { GoldItem } from '../../src/store/gold-set-repository.js';
import { openStore } from '../../src/store/store.js';
import { runCli } from '../cli/run-cli.js';
import { startFakeOpenAI, type FakeOpenAIServer, type FakeRequest } from '../support/fake-openai-server.js';

/**
 * `evalops rubric draft`, against the scripted local model server: the drafting model sees only the
 * drafting part of the gold set, the judge runs with the draft on the held-out part, and the
 * calibration reports Cohen's kappa with its interval — 1 for a judge that agrees with every human
 * label, below the threshold for one that labels against them.
 */
describe('draftRubric (scripted model server)', () => {
  const rubric: Rubric = { labels: [{ label: 'poor' }, { label: 'good' }], pass: ['good'], ordinal: false };
  const gold: GoldItem[] = Array.from({ length: 40 }, (_, i) => ({
    key: `item-${i}`,
    label: i % 2 === 0 ? 'good' : 'poor',
    payload: { input: { q: `question ${i}` }, output: i % 2 === 0 ? `a GOOD answer #${i}` : `a bad answer #${i}`, toolCalls: [], slices: [], judge: null, checks: {}, latencyMs: null, costUsd: null },
  }));
  let judgeAgrees = true;
  let server: FakeOpenAIServer;
  let loaded: LoadedConfig;
  const draftRequests: FakeRequest[] = [];
  let dir = '';

  beforeAll(async () => {
    server = await startFakeOpenAI({
      respond: (req) => {
        if (req.body?.model === 'writer') {
          draftRequests.push(req);
          return { json: { rubric: '# helpful\n\n- good: the answer says GOOD\n- poor: anything else' }, usage: { promptTokens: 1000, completionTokens: 100 } };
        }
        const prompt = JSON.stringify(req.body?.messages);
        const good = /a GOOD answer/.test(prompt);
        return { json: { label: good === judgeAgrees ? 'good' : 'poor', reason: 'scripted' } };
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'evalops-rubric-draft-'));
    writeFileSync(
      join(dir, 'evalops.yaml'),
      `version: 1\nproject: shop\ntarget: { type: model, model: "fake:agent" }\ndataset: { name: cases }\nproviders:\n  fake: { kind: openai-compatible, baseURL: "${server.url}", pricing: { writer: { inputPerMTok: 1, outputPerMTok: 2 } } }\nmetrics:\n  - name: helpful\n    scorer: { type: judge, model: "fake:judge", rubric: ./rubrics/helpful.md, labels: [poor, good], pass: [good] }\n`,
    );
    loaded = await loadConfig(join(dir, 'evalops.yaml'));
  });
  afterAll(() => server.close());

  const draft = () =>
    draftRubric(
      createModelPort({ providers: loaded.config.providers ?? {}, env: {} }),
      { config: loaded.config, metric: 'helpful', model: 'fake:writer', gold: { id: 'gs_1', version: 3, rubric, items: gold }, holdout: 0.5, seed: '1', thresholds: { minKappa: 0.6, minItems: 10 } },
      { baseDir: loaded.baseDir, importModule },
    );

  it('splits the gold set the same way for the same seed, whatever the order', () => {
    const a = splitGold(gold, 0.5, '1');
    const b = splitGold([...gold].reverse(), 0.5, '1');
    expect(new Set(a.heldOut.map((i) => i.key))).toEqual(new Set(b.heldOut.map((i) => i.key)));
    expect(a.heldOut.length + a.drafting.length).toBe(40);
    expect(a.heldOut.length).toBeGreaterThan(8);
    expect(a.drafting.length).toBeGreaterThan(8);
  });

  it('drafts from the drafting part only and calibrates the draft on the held-out part', async () => {
    judgeAgrees = true;
    const before = draftRequests.length;
    const result = await draft();
    expect(result.rubric).toContain('good: the answer says GOOD');
    const { drafting, heldOut } = splitGold(gold, 0.5, '1');
    expect(result).toMatchObject({ draftedFrom: drafting.length, heldOut: heldOut.length });
    // the writer never saw a held-out item
    const shown = JSON.stringify(draftRequests.slice(before).map((r) => r.body?.messages));
    for (const item of heldOut) expect(shown).not.toContain(`"question ${item.key.slice(5)}"`.replace(/"/g, '\\"'));
    for (const item of drafting.slice(0, 3)) expect(shown).toContain(`question ${item.key.slice(5)}\\"`);
    // the judge ran with the draft as its rubric
    const judged = server.calls.filter((c) => c.body?.model === 'judge').at(-1);
    expect(JSON.stringify(judged?.body?.messages)).toContain('the answer says GOOD');
    expect(result.calibration.n).toBe(heldOut.length);
    expect(result.calibration.kappa.value).toBe(1);
    expect(result.calibration.status).toBe('calibrated');
    expect(result.costUsd).toBeCloseTo((1000 * 1 + 100 * 2) / 1e6, 12);
  });

  it('reports a draft whose judge labels against the humans as uncalibrated', async () => {
    judgeAgrees = false;
    const result = await draft();
    // Every label swapped: observed agreement 0, so kappa = -pe / (1 - pe) with pe = 2·good·poor / n² (Cohen 1960)
    const { heldOut } = splitGold(gold, 0.5, '1');
    const good = heldOut.filter((i) => i.label === 'good').length;
    const n = heldOut.length;
    const pe = (2 * good * (n - good)) / (n * n);
    expect(result.calibration.kappa.value).toBeCloseTo(-pe / (1 - pe), 9);
    expect(result.calibration.kappa.ci95).not.toBeNull();
    expect(result.calibration.status).toBe('uncalibrated');
  });

  it('writes the rubric file only with --accept (CLI)', async () => {
    judgeAgrees = true;
    mkdirSync(join(dir, 'rubrics'), { recursive: true });
    writeFileSync(join(dir, 'rubrics', 'helpful.md'), 'the old rubric\n');
    const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ana@example.com' };
    const store = await openStore(env.EVALOPS_DATABASE_URL);
    const project = await store.projects.ensure('shop');
    await store.goldSets.freeze(project.id, 'helpful', rubric, gold, 'ana@example.com');
    await store.close();
    const cfg = join(dir, 'evalops.yaml');
    const dry = await runCli(['rubric', 'draft', 'helpful', '-c', cfg, '--model', 'fake:writer', '--json'], { env });
    expect(dry.code, dry.stderr).toBe(3); // calibrated on too few held-out items for the default minItems (100)
    expect(JSON.parse(dry.stdout)).toMatchObject({ accepted: false, kappa: { value: 1 }, status: 'uncalibrated' });
    expect(readFileSync(join(dir, 'rubrics', 'helpful.md'), 'utf8')).toBe('the old rubric\n');
    const accepted = await runCli(['rubric', 'draft', 'helpful', '-c', cfg, '--model', 'fake:writer', '--accept', '--json'], { env });
    expect(JSON.parse(accepted.stdout)).toMatchObject({ accepted: true });
    expect(readFileSync(join(dir, 'rubrics', 'helpful.md'), 'utf8')).toContain('good: the answer says GOOD');
  }, 120_000);
});
