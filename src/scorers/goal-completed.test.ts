import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIOptions, type FakeOpenAIServer } from '../../test/support/fake-openai-server.js';
import { call, sessionInput, singleInput, transcriptOf } from '../../test/support/transcript-fixtures.js';
import { importModule } from '../config/import-module.js';
import { isJudgeScorerType } from '../core/judge-scorer-types.js';
import { MetricSchema } from '../core/metric.js';
import { GOAL_COMPLETED_RUBRIC, ScorerConfigSchema, type ScorerConfigOf } from '../core/scorer-config.js';
import { createModelPort } from '../models/ai-sdk-model-port.js';
import { withDefaultModel } from '../runner/with-default-model.js';
import { goalCompletedScorer } from './goal-completed.js';
import type { ScorerDeps } from './scorer.js';

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function depsFor(options: FakeOpenAIOptions): Promise<ScorerDeps> {
  server = await startFakeOpenAI(options);
  return { baseDir: process.cwd(), importModule, models: createModelPort({ providers: { fake: { kind: 'openai-compatible', baseURL: server.url } }, env: {} }) };
}
const config = (over: Record<string, unknown> = {}) => ScorerConfigSchema.parse({ type: 'goal-completed', model: 'fake:judge-1', ...over }) as ScorerConfigOf<'goal-completed'>;

const refund = transcriptOf(
  [
    { user: 'I want a refund for my kettle', assistant: 'Sure, what is the order number?' },
    { user: 'It is 1234', assistant: 'Refund issued for order 1234.', toolCalls: [call('issue_refund', { orderId: '1234' }, { error: 'declined' })] },
  ],
  { goal: 'get a refund for order 1234', persona: 'a customer who bought a kettle', endedBy: 'user-done', goalMet: true },
);

describe('goalCompletedScorer', () => {
  it('asks the judge with the goal, persona, every turn and the failed tool call, and maps the label', async () => {
    const deps = await depsFor({ respond: () => ({ json: { label: 'not_met', reason: 'the refund call was declined yet the agent claimed success' } }) });
    const s = await (await goalCompletedScorer(config(), deps)).score(sessionInput(refund));
    expect(s).toMatchObject({ status: 'scored', pass: false, value: 0, label: 'not_met' });
    const prompt = String(server?.calls[0]?.body?.messages?.find((m) => m.role === 'user')?.content);
    expect(prompt).toContain("User's goal: get a refund for order 1234");
    expect(prompt).toContain('User persona: a customer who bought a kettle');
    expect(prompt).toContain('user: It is 1234\n  [tool issue_refund {"orderId":"1234"} → error: declined]\nassistant: Refund issued for order 1234.');
    expect(prompt).toContain(GOAL_COMPLETED_RUBRIC.split('\n')[0]);
    expect(prompt).toContain('Allowed labels: not_met, partially_met, met (from worst to best)');
  });

  it("does not trust the simulated user's goalMet: the judge decides", async () => {
    const deps = await depsFor({ respond: () => ({ json: { label: 'partially_met', reason: 'half' } }) });
    expect(await (await goalCompletedScorer(config(), deps)).score(sessionInput(refund))).toMatchObject({ pass: false, value: 0.5, label: 'partially_met' });
  });

  it('passes on met', async () => {
    const deps = await depsFor({ respond: () => ({ json: { label: 'met', reason: 'refund done' } }) });
    expect(await (await goalCompletedScorer(config(), deps)).score(sessionInput(refund))).toMatchObject({ status: 'scored', pass: true, value: 1 });
  });

  it('fails an empty or errored conversation without asking the judge, and skips a single-turn result', async () => {
    const deps = await depsFor({ respond: () => ({ json: { label: 'met', reason: 'looks fine' } }) });
    const scorer = await goalCompletedScorer(config(), deps);
    expect(await scorer.score(sessionInput(transcriptOf([])))).toMatchObject({ status: 'scored', pass: false });
    expect(await scorer.score(sessionInput(transcriptOf([{ user: 'refund', assistant: 'ok' }, { user: 'thanks', error: 'HTTP 500' }])))).toMatchObject({ status: 'scored', pass: false });
    expect(await scorer.score(singleInput())).toMatchObject({ status: 'skipped' });
    expect(server?.calls).toHaveLength(0);
  });

  it('is skipped without a model, and an unusable judge answer is errored, never a pass', async () => {
    const none = await goalCompletedScorer(config({ model: undefined }), { baseDir: process.cwd(), importModule });
    expect(await none.score(sessionInput(refund))).toMatchObject({ status: 'skipped' });
    const deps = await depsFor({ respond: () => ({ json: { label: 'excellent', reason: 'not a label' } }) });
    expect(await (await goalCompletedScorer(config(), deps)).score(sessionInput(refund))).toMatchObject({ status: 'errored', pass: null });
  });

  it('counts as a judge: calibration, the default judge model, the uncalibrated marker', () => {
    expect(isJudgeScorerType('goal-completed')).toBe(true);
    expect(withDefaultModel(config({ model: undefined }), { judge: 'fake:judge-2' })).toMatchObject({ model: 'fake:judge-2' });
  });

  it('has a version that changes with the rubric and the model', async () => {
    const deps = { baseDir: process.cwd(), importModule };
    const v = async (over: Record<string, unknown>) => (await goalCompletedScorer(config(over), deps)).version;
    expect(await v({})).toMatch(/^[0-9a-f]{16}$/);
    expect(await v({ rubric: 'Did the refund happen?' })).not.toBe(await v({}));
    expect(await v({ model: 'fake:judge-2' })).not.toBe(await v({}));
  });

  it('refuses pass labels that are not among its labels (config)', () => {
    expect(MetricSchema.safeParse({ name: 'goal', scorer: { type: 'goal-completed', labels: ['no', 'yes'], pass: ['met'] } }).success).toBe(false);
  });
});
