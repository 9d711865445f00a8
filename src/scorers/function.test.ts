import { describe, expect, it } from 'vitest';
import { importModule } from '../config/import-module.js';
import type { ScorerConfig } from '../core/scorer-config.js';
import { outputText, type ToolCall } from '../core/target-output.js';
import { createScorer } from './create-scorer.js';
import type { ScoreInput } from './scorer.js';

const deps = { baseDir: process.cwd(), importModule };
const input = (output: unknown, expected?: unknown, extra: Partial<ScoreInput> = {}): ScoreInput => ({
  example: { id: 'e1', input: { lang: 'en' }, expected, metadata: { tier: 'gold' } },
  output,
  text: outputText(output),
  toolCalls: [] as ToolCall[],
  latencyMs: 1,
  ...extra,
});
const score = async (config: ScorerConfig, i: ScoreInput) => (await createScorer(config, deps)).score(i);
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { EvalOpsError } from '../core/errors.js';
import { functionScorer } from './function.js';

const TS_MODULE = `
interface Args { input: { q: string }; expected: { keyword?: string }; output: unknown; toolCalls: { name: string }[]; metadata: Record<string, unknown>; text: string }
export default function citesKeyword({ expected, text }: Args): boolean {
  return expected.keyword !== undefined && text.includes(expected.keyword);
}
export const asNumber = ({ text }: Args): number => Math.min(1, text.length / 10);
export async function asObject({ toolCalls, metadata }: Args) {
  return { pass: toolCalls.some((c) => c.name === 'refund'), reason: 'tier ' + String(metadata['tier']) };
}
export const scoreOnly = () => ({ score: 0.25, reason: 'weak' });
export const labelled = () => ({ pass: true, score: 0.9, label: 'good' });
export const echo = (args: Args) => ({ pass: args.input.q === 'hi' && args.output === 'out' && args.text === 'out' });
export const throws = () => { throw new Error('boom'); };
export const outOfRange = () => 1.5;
export const wrongShape = () => ({ passed: true });
export const nothing = () => undefined;
export const notAFunction = 42;
`;

const MJS_MODULE = `
export default async ({ output }) => output === 'yes';
export const half = () => 0.5;
`;

let dir = '';
let fdeps = deps;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalops-function-scorer-'));
  await writeFile(join(dir, 'checks.ts'), TS_MODULE);
  await writeFile(join(dir, 'checks.mjs'), MJS_MODULE);
  fdeps = { ...deps, baseDir: dir };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fnInput = (output: unknown, extra: Partial<ScoreInput> = {}): ScoreInput => ({
  ...input(output, { keyword: 'refund' }),
  example: { id: 'e1', input: { q: 'hi' }, expected: { keyword: 'refund' }, metadata: { tier: 'gold' } },
  ...extra,
});
const run = async (config: Omit<Extract<ScorerConfig, { type: 'function' }>, 'type'>, i: ScoreInput) =>
  (await createScorer({ type: 'function', ...config }, fdeps)).score(i);

describe('functionScorer', () => {
  it('uses a boolean return of the default export of a TS module', async () => {
    expect(await run({ path: 'checks.ts' }, fnInput('your refund is issued'))).toMatchObject({ status: 'scored', pass: true, value: 1 });
    expect(await run({ path: './checks.ts' }, fnInput('order shipped'))).toMatchObject({ status: 'scored', pass: false, value: 0 });
  });

  it('passes input, expected, output, text, toolCalls and metadata to the function', async () => {
    expect((await run({ path: 'checks.ts', export: 'echo' }, fnInput('out'))).pass).toBe(true);
    const withRefund = fnInput('x', { toolCalls: [{ name: 'refund', arguments: {} }] });
    expect(await run({ path: 'checks.ts', export: 'asObject' }, withRefund)).toMatchObject({ pass: true, value: 1, reason: 'tier gold' });
    expect(await run({ path: 'checks.ts', export: 'asObject' }, fnInput('x'))).toMatchObject({ pass: false, value: 0 });
  });

  it('uses a number as the value, passing at 0.5 and above', async () => {
    expect(await run({ path: 'checks.ts', export: 'asNumber' }, fnInput('12345'))).toMatchObject({ pass: true, value: 0.5 });
    expect(await run({ path: 'checks.ts', export: 'asNumber' }, fnInput('1234'))).toMatchObject({ pass: false, value: 0.4 });
  });

  it('reads pass from score when an object has only a score, and keeps a label', async () => {
    expect(await run({ path: 'checks.ts', export: 'scoreOnly' }, fnInput('x'))).toMatchObject({ pass: false, value: 0.25, reason: 'weak' });
    expect(await run({ path: 'checks.ts', export: 'labelled' }, fnInput('x'))).toMatchObject({ pass: true, value: 0.9, label: 'good' });
  });

  it('loads a plain JS module, async functions included', async () => {
    expect((await run({ path: 'checks.mjs' }, fnInput('yes'))).pass).toBe(true);
    expect((await run({ path: 'checks.mjs' }, fnInput('no'))).pass).toBe(false);
    expect(await run({ path: 'checks.mjs', export: 'half' }, fnInput('no'))).toMatchObject({ pass: true, value: 0.5 });
  });

  it('gives an errored score with the message when the function throws', async () => {
    const s = await run({ path: 'checks.ts', export: 'throws' }, fnInput('x'));
    expect(s).toMatchObject({ status: 'errored', pass: null, value: null });
    expect(s.reason).toContain('boom');
  });

  it('gives an errored score for a return it cannot read', async () => {
    expect((await run({ path: 'checks.ts', export: 'outOfRange' }, fnInput('x'))).reason).toContain('within 0..1');
    expect(await run({ path: 'checks.ts', export: 'wrongShape' }, fnInput('x'))).toMatchObject({ status: 'errored' });
    expect(await run({ path: 'checks.ts', export: 'nothing' }, fnInput('x'))).toMatchObject({ status: 'errored' });
  });

  it('inverts with not: true, and leaves an errored score alone', async () => {
    expect((await run({ path: 'checks.ts', not: true }, fnInput('your refund'))).pass).toBe(false);
    expect(await run({ path: 'checks.ts', export: 'asNumber', not: true }, fnInput('1234'))).toMatchObject({ pass: true });
    expect((await run({ path: 'checks.ts', export: 'throws', not: true }, fnInput('x'))).status).toBe('errored');
  });

  it('refuses a missing export, naming the file and the export', async () => {
    const e = await Promise.resolve(functionScorer({ type: 'function', path: 'checks.ts', export: 'nope' }, fdeps)).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(EvalOpsError);
    expect((e as EvalOpsError).code).toBe('config');
    expect((e as EvalOpsError).message).toContain('"nope"');
    expect((e as EvalOpsError).message).toContain(join(dir, 'checks.ts'));
  });

  it('refuses an export that is not a function, and a missing file', async () => {
    await expect(functionScorer({ type: 'function', path: 'checks.ts', export: 'notAFunction' }, fdeps)).rejects.toMatchObject({ code: 'config' });
    await expect(functionScorer({ type: 'function', path: 'missing.ts' }, fdeps)).rejects.toMatchObject({ code: 'config', location: join(dir, 'missing.ts') });
  });

  it('changes version when the module file changes', async () => {
    const file = join(dir, 'changing.mjs');
    await writeFile(file, 'export default () => true;');
    const before = await functionScorer({ type: 'function', path: 'changing.mjs' }, fdeps);
    await writeFile(file, 'export default () => false; // edited');
    const after = await functionScorer({ type: 'function', path: 'changing.mjs' }, fdeps);
    expect(before.version).not.toBe(after.version);
  });
});

describe('functionScorer over a conversation', () => {
  let sessionDir = '';
  beforeAll(async () => {
    sessionDir = await mkdtemp(join(tmpdir(), 'evalops-fn-session-'));
    await writeFile(
      join(sessionDir, 'session.mjs'),
      'export default ({ transcript }) => transcript === undefined ? { pass: false, reason: "no transcript" } : { pass: transcript.turns.length <= 2 && transcript.goalMet === true, reason: `${transcript.turns.length} turns, goal ${transcript.goal}` };',
    );
  });
  afterAll(() => rm(sessionDir, { recursive: true, force: true }));

  it('receives the whole transcript of a conversation result', async () => {
    const { sessionInput, transcriptOf } = await import('../../test/support/transcript-fixtures.js');
    const scorer = await createScorer({ type: 'function', path: 'session.mjs' }, { baseDir: sessionDir, importModule });
    const t = transcriptOf([{ user: 'refund 1234', assistant: 'done' }], { goal: 'refund', goalMet: true, endedBy: 'user-done' });
    expect(await scorer.score(sessionInput(t))).toMatchObject({ status: 'scored', pass: true, reason: '1 turns, goal refund' });
    expect(await scorer.score(input('plain'))).toMatchObject({ pass: false, reason: 'no transcript' });
  });
});
