import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importModule } from '../config/import-module.js';
import { errored, scored, skipped } from '../core/score.js';
import { SCORER_TYPES, ScorerConfigSchema, type ScorerConfig, type ScorerType } from '../core/scorer-config.js';
import { outputText } from '../core/target-output.js';
import { createScorer, invert } from './create-scorer.js';
import { scorerRegistry } from './registry.js';
import type { ScoreInput } from './scorer.js';

/** A minimal valid config of every type that runs without a model. */
/** Session scorers: tested in their own files on transcripts; on a single-turn result they are skipped. */
const SESSION_TYPES = ['goal-completed', 'turns', 'per-turn', 'repeated-question', 'frustration', 'recovered'] as const;
type SessionType = (typeof SESSION_TYPES)[number];

const samples: { readonly [T in Exclude<ScorerType, 'judge' | 'similarity' | SessionType>]: ScorerConfig } = {
  equals: { type: 'equals', value: 'ok' },
  contains: { type: 'contains', value: 'ok' },
  icontains: { type: 'icontains', value: 'OK' },
  'starts-with': { type: 'starts-with', value: 'ok' },
  'contains-any': { type: 'contains-any', values: ['ok', 'fine'] },
  'contains-all': { type: 'contains-all', values: ['ok'] },
  regex: { type: 'regex', pattern: '^ok$' },
  'is-json': { type: 'is-json' },
  'json-schema': { type: 'json-schema', schema: { type: 'string' } },
  length: { type: 'length', maxWords: 1 },
  levenshtein: { type: 'levenshtein', value: 'ok', threshold: 1 },
  'tool-called': { type: 'tool-called', name: 'lookup' },
  'tool-not-called': { type: 'tool-not-called', name: 'refund' },
  'tool-args': { type: 'tool-args', name: 'lookup', arguments: { id: 1 } },
  'tool-sequence': { type: 'tool-sequence', names: ['lookup'] },
  latency: { type: 'latency', maxMs: 100 },
  cost: { type: 'cost', maxUsd: 0.01 },
  refusal: { type: 'refusal', not: true },
  function: { type: 'function', path: 'check.mjs' },
  command: { type: 'command', command: [process.execPath, 'check-command.mjs'] },
  human: { type: 'human', labels: ['bad', 'good'], pass: ['good'] },
};

/** An output that every sample above passes (human is skipped). */
const passing: ScoreInput = {
  example: { id: 'e1', input: {}, expected: undefined, metadata: {} },
  output: 'ok',
  text: outputText('ok'),
  toolCalls: [{ name: 'lookup', arguments: { id: 1 } }],
  latencyMs: 5,
  costUsd: 0.001,
};

/** is-json and json-schema need a JSON text: the string "ok" as JSON. */
const jsonOk: ScoreInput = { ...passing, output: '"ok"', text: '"ok"' };
const inputFor = (type: keyof typeof samples): ScoreInput => (type === 'is-json' || type === 'json-schema' ? jsonOk : passing);

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalops-create-scorer-'));
  await writeFile(join(dir, 'check.mjs'), "export default ({ output }) => output === 'ok';");
  await writeFile(join(dir, 'check-command.mjs'), "let s = ''; process.stdin.on('data', (d) => (s += d)).on('end', () => console.log(JSON.stringify({ pass: JSON.parse(s).output === 'ok' })));");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const deps = () => ({ baseDir: dir, importModule });

describe('scorerRegistry', () => {
  it('has a factory for every scorer type and nothing else', () => {
    expect(Object.keys(scorerRegistry).sort()).toEqual([...SCORER_TYPES].sort());
    for (const type of SCORER_TYPES) expect(typeof scorerRegistry[type]).toBe('function');
  });
});

describe('createScorer', () => {
  it.each(SESSION_TYPES.filter((t) => t !== 'goal-completed'))('builds a %s scorer that skips a single-turn result (never a pass)', async (type) => {
    const config = ScorerConfigSchema.parse(type === 'turns' ? { type, max: 3 } : type === 'per-turn' ? { type, scorer: { type: 'contains', value: 'ok' } } : { type });
    const scorer = await createScorer(config, deps());
    expect(scorer.type).toBe(type);
    expect(scorer.version).toMatch(/^[0-9a-f]{16}$/);
    expect(await scorer.score(passing)).toMatchObject({ status: 'skipped', pass: null });
  });


  const types = Object.keys(samples) as (keyof typeof samples)[];

  it.each(types)('builds a working %s scorer from a valid config', async (type) => {
    const config = ScorerConfigSchema.parse(samples[type]);
    const scorer = await createScorer(config, deps());
    expect(scorer.type).toBe(type);
    expect(scorer.version).toMatch(/^[0-9a-f]{16}$/);
    const s = await scorer.score(inputFor(type));
    if (type === 'human') expect(s.status).toBe('skipped');
    else expect(s).toMatchObject({ status: 'scored', pass: true });
  });

  it.each(types.filter((t) => t !== 'human' && t !== 'refusal'))('inverts %s with not: true', async (type) => {
    const scorer = await createScorer({ ...samples[type], not: true } as ScorerConfig, deps());
    expect(await scorer.score(inputFor(type))).toMatchObject({ status: 'scored', pass: false, value: 0 });
  });

  it('gives a different version when not: true is set', async () => {
    const plain = await createScorer({ type: 'contains', value: 'ok' }, deps());
    const negated = await createScorer({ type: 'contains', value: 'ok', not: true }, deps());
    expect(plain.version).not.toBe(negated.version);
  });

  it('marks the reason of an inverted score', async () => {
    const s = await (await createScorer({ type: 'contains', value: 'ok', not: true }, deps())).score(passing);
    expect(s.reason).toBe('not: "ok" found in the output');
  });

  it('propagates a factory config error', async () => {
    await expect(createScorer({ type: 'regex', pattern: '[' }, deps())).rejects.toMatchObject({ code: 'config' });
  });
});

describe('invert', () => {
  it('flips pass and mirrors the value of a scored result', () => {
    expect(invert(scored('v', true, { value: 0.8, reason: 'r' }))).toMatchObject({ pass: false, value: expect.closeTo(0.2, 10), reason: 'not: r' });
    expect(invert(scored('v', false))).toMatchObject({ pass: true, value: 1, reason: 'not' });
  });

  it('leaves errored and skipped results untouched', () => {
    const e = errored('v', 'provider down');
    const k = skipped('v', 'no cost');
    expect(invert(e)).toEqual(e);
    expect(invert(k)).toEqual(k);
  });
});
