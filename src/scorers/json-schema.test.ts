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
import { jsonSchemaScorer } from './json-schema.js';

const ticket = {
  type: 'object',
  properties: { id: { type: 'integer' }, email: { type: 'string', format: 'email' }, tags: { type: 'array', items: { type: 'string' } } },
  required: ['id', 'email'],
  additionalProperties: false,
};

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalops-json-schema-'));
  await writeFile(join(dir, 'ticket.json'), JSON.stringify(ticket));
  await writeFile(join(dir, 'ticket.yaml'), 'type: object\nrequired: [id]\nproperties:\n  id: { type: integer }\n');
  await writeFile(join(dir, 'broken.json'), '{ "type": ');
  await writeFile(join(dir, 'invalid.json'), '{ "type": "no-such-type" }');
  await writeFile(join(dir, 'schema.txt'), '{}');
  await writeFile(join(dir, 'v2020.json'), JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', prefixItems: [{ type: 'number' }], items: false }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configError(config: ScorerConfig): Promise<EvalOpsError> {
  const e = await createScorer(config, { ...deps, baseDir: dir }).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(EvalOpsError);
  expect((e as EvalOpsError).code).toBe('config');
  return e as EvalOpsError;
}

describe('jsonSchemaScorer', () => {
  it('passes an object output and a JSON string output that validate', async () => {
    expect((await score({ type: 'json-schema', schema: ticket }, input({ id: 1, email: 'a@b.co' }))).pass).toBe(true);
    expect((await score({ type: 'json-schema', schema: ticket }, input('{"id": 1, "email": "a@b.co", "tags": ["x"]}'))).pass).toBe(true);
  });

  it('fails an invalid output and lists the first errors, formats included', async () => {
    const s = await score({ type: 'json-schema', schema: ticket }, input({ id: 'one', email: 'nope', extra: 1 }));
    expect(s).toMatchObject({ status: 'scored', pass: false, value: 0 });
    expect(s.reason).toContain('/id must be integer');
    expect(s.reason).toContain('/email must match format "email"');
    expect(s.reason).toContain('(extra)');
  });

  it('fails an output that is not JSON', async () => {
    const s = await score({ type: 'json-schema', schema: ticket }, input('id: 1'));
    expect(s.pass).toBe(false);
    expect(s.reason).toBe('output is not JSON');
  });

  it('inverts with not: true', async () => {
    expect((await score({ type: 'json-schema', schema: ticket, not: true }, input({ id: 1, email: 'a@b.co' }))).pass).toBe(false);
    expect((await score({ type: 'json-schema', schema: ticket, not: true }, input({ id: 1 }))).pass).toBe(true);
  });

  it('loads a schema file, JSON or YAML, relative to baseDir', async () => {
    const fromJson = await createScorer({ type: 'json-schema', schema: 'ticket.json' }, { ...deps, baseDir: dir });
    expect((await fromJson.score(input({ id: 1, email: 'a@b.co' }))).pass).toBe(true);
    expect((await fromJson.score(input({ id: 1 }))).pass).toBe(false);
    const fromYaml = await createScorer({ type: 'json-schema', schema: './ticket.yaml' }, { ...deps, baseDir: dir });
    expect((await fromYaml.score(input({ id: 2 }))).pass).toBe(true);
    expect((await fromYaml.score(input({ id: 'x' }))).pass).toBe(false);
  });

  it('versions a file schema by its content', async () => {
    const file = join(dir, 'changing.json');
    await writeFile(file, JSON.stringify({ type: 'object' }));
    const before = await jsonSchemaScorer({ type: 'json-schema', schema: 'changing.json' }, { ...deps, baseDir: dir });
    await writeFile(file, JSON.stringify({ type: 'array' }));
    const after = await jsonSchemaScorer({ type: 'json-schema', schema: 'changing.json' }, { ...deps, baseDir: dir });
    expect(before.version).not.toBe(after.version);
  });

  it('picks the draft from $schema', async () => {
    const s = await createScorer({ type: 'json-schema', schema: 'v2020.json' }, { ...deps, baseDir: dir });
    expect((await s.score(input([1]))).pass).toBe(true);
    expect((await s.score(input([1, 2]))).pass).toBe(false);
  });

  it('refuses a missing, unparsable, invalid or wrongly named schema file with the path as location', async () => {
    expect((await configError({ type: 'json-schema', schema: 'missing.json' })).location).toBe(join(dir, 'missing.json'));
    expect((await configError({ type: 'json-schema', schema: 'broken.json' })).message).toContain('does not parse');
    expect((await configError({ type: 'json-schema', schema: 'invalid.json' })).message).toContain('invalid JSON Schema');
    await configError({ type: 'json-schema', schema: 'schema.txt' });
    await configError({ type: 'json-schema', schema: { type: 'nonsense' } });
  });

  it('never quotes the content of a schema file in its errors, only where the parse failed', async () => {
    await writeFile(join(dir, 'secret.json'), 'root:x:0:0:hunter2-secret\n');
    await writeFile(join(dir, 'secret.yaml'), 'a: b\n  c: [hunter2-secret\n');
    await writeFile(join(dir, 'secret-schema.json'), JSON.stringify({ type: 'hunter2-secret' }));
    for (const file of ['secret.json', 'secret.yaml', 'secret-schema.json']) {
      const e = await configError({ type: 'json-schema', schema: file });
      expect(e.message).not.toContain('hunter2');
      expect(e.message).not.toContain('root:');
    }
    expect((await configError({ type: 'json-schema', schema: 'secret.yaml' })).message).toMatch(/YAML \(line \d+, column \d+\)/);
  });
});
