import { describe, expect, it } from 'vitest';
import { call, sessionInput, singleInput, transcriptOf } from '../../test/support/transcript-fixtures.js';
import { importModule } from '../config/import-module.js';
import { ScorerConfigSchema, type ScorerConfig } from '../core/scorer-config.js';
import { fileReferences } from '../core/scorer-files.js';
import { createScorer } from './create-scorer.js';

const deps = { baseDir: process.cwd(), importModule };
const keyword = { type: 'icontains', value: '{{expected.keyword}}' } as const;
const build = (over: Record<string, unknown>) => createScorer(ScorerConfigSchema.parse({ type: 'per-turn', scorer: keyword, ...over }) as ScorerConfig, deps);

/** Three turns with per-turn expectations: the first two answers right, the third wrong. */
const threeTurns = transcriptOf([
  { user: 'I want a refund', assistant: 'Sure, what is the order number?', expected: { keyword: 'order number' } },
  { user: '1234', assistant: 'Order 1234 is the kettle.', expected: { keyword: 'kettle' } },
  { user: 'Refund it', assistant: 'Please contact the shop.', expected: { keyword: 'refund' } },
]);

describe('perTurnScorer', () => {
  it('all: fails when one turn fails, keeping every turn verdict in the reason', async () => {
    const s = await (await build({})).score(sessionInput(threeTurns));
    expect(s).toMatchObject({ status: 'scored', pass: false });
    expect(s.value).toBeCloseTo(2 / 3, 10);
    expect(s.reason).toMatch(/^all: 2\/3 scored turns passed: turn 1 pass, turn 2 pass, turn 3 fail \(/);
  });

  it('any: passes when one turn passes; mean: compares the mean value with min', async () => {
    expect(await (await build({ aggregate: 'any' })).score(sessionInput(threeTurns))).toMatchObject({ pass: true });
    const mean = await (await build({ aggregate: 'mean', min: 0.7 })).score(sessionInput(threeTurns));
    expect(mean.pass).toBe(false);
    expect(mean.value).toBeCloseTo(2 / 3, 10);
    expect((await (await build({ aggregate: 'mean', min: 0.6 })).score(sessionInput(threeTurns))).pass).toBe(true);
  });

  it("gives each turn its own expected, not the example's", async () => {
    const t = transcriptOf([{ user: 'hi', assistant: 'kettle', expected: { keyword: 'kettle' } }]);
    const s = await (await build({})).score(sessionInput(t, { expected: { keyword: 'toaster' } }));
    expect(s.pass).toBe(true);
  });

  it('skips turns without expected; no scorable turn at all: skipped, never passed', async () => {
    const some = transcriptOf([
      { user: 'hi', assistant: 'hello' },
      { user: 'refund', assistant: 'refund issued', expected: { keyword: 'refund' } },
    ]);
    const s = await (await build({})).score(sessionInput(some));
    expect(s).toMatchObject({ pass: true });
    expect(s.reason).toContain('turn 1 skipped');
    expect(await (await build({})).score(sessionInput(transcriptOf([{ user: 'hi', assistant: 'hello' }])))).toMatchObject({ status: 'skipped' });
  });

  it("applies tool scorers to each turn's own calls", async () => {
    const t = transcriptOf([
      { user: 'refund 1234', assistant: 'looking', toolCalls: [call('lookup_order')] },
      { user: 'go on', assistant: 'done', toolCalls: [call('lookup_order'), call('issue_refund')] },
    ]);
    const s = await (await build({ scorer: { type: 'tool-called', name: 'lookup_order' } })).score(sessionInput(t));
    expect(s).toMatchObject({ pass: true, reason: 'all: 2/2 scored turns passed: turn 1 pass, turn 2 pass' });
    expect((await (await build({ scorer: { type: 'tool-called', name: 'issue_refund' } })).score(sessionInput(t))).pass).toBe(false);
  });

  it('fails an errored conversation even when every answered turn passed; skips a single-turn result', async () => {
    const t = transcriptOf([
      { user: 'refund', assistant: 'refund issued', expected: { keyword: 'refund' } },
      { user: 'thanks', error: 'HTTP 502', expected: { keyword: 'welcome' } },
    ]);
    for (const aggregate of ['all', 'any', 'mean']) expect(await (await build({ aggregate })).score(sessionInput(t))).toMatchObject({ status: 'scored', pass: false });
    expect(await (await build({})).score(singleInput())).toMatchObject({ status: 'skipped' });
  });

  it('an errored turn check errors the session unless the verdict is already decided', async () => {
    const dir = await import('node:fs/promises').then(async (fs) => {
      const d = await fs.mkdtemp((await import('node:path')).join((await import('node:os')).tmpdir(), 'evalops-per-turn-'));
      await fs.writeFile(`${d}/check.mjs`, "export default ({ text }) => { if (text === 'boom') throw new Error('bad'); return text === 'ok'; };");
      return d;
    });
    const fn = await createScorer(ScorerConfigSchema.parse({ type: 'per-turn', scorer: { type: 'function', path: 'check.mjs' } }) as ScorerConfig, { baseDir: dir, importModule });
    const okThenBoom = transcriptOf([{ user: 'a', assistant: 'ok' }, { user: 'b', assistant: 'boom' }]);
    expect(await fn.score(sessionInput(okThenBoom))).toMatchObject({ status: 'errored' });
    const failThenBoom = transcriptOf([{ user: 'a', assistant: 'no' }, { user: 'b', assistant: 'boom' }]);
    expect(await fn.score(sessionInput(failThenBoom))).toMatchObject({ status: 'scored', pass: false });
  });

  it('refuses a session scorer inside, and names a file the inner scorer reads for online rules', () => {
    expect(ScorerConfigSchema.safeParse({ type: 'per-turn', scorer: { type: 'turns', max: 3 } }).success).toBe(false);
    const config = ScorerConfigSchema.parse({ type: 'per-turn', scorer: { type: 'function', path: './x.ts' } });
    expect(fileReferences(config).map((r) => r.path)).toEqual([['scorer', 'path']]);
  });

  it('has a version that changes with the inner scorer', async () => {
    const a = await build({});
    const b = await build({ scorer: { type: 'icontains', value: 'other' } });
    expect(a.version).not.toBe(b.version);
  });
});
