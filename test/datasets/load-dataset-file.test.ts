import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/core/hash.js';
import { EvalOpsError } from '../../src/core/errors.js';
import { datasetVersionHash } from '../../src/datasets/dataset-hash.js';
import { loadDatasetFile } from '../../src/datasets/load-dataset-file.js';

const fixtures = fileURLToPath(new URL('../fixtures/datasets/', import.meta.url));
const fixture = (name: string): string => join(fixtures, name);

async function loadError(path: string): Promise<EvalOpsError> {
  const error = await loadDatasetFile(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EvalOpsError);
  return error as EvalOpsError;
}

const supportCases = [
  {
    id: 'refund-1',
    input: { question: 'Can I get a refund?' },
    expected: { keyword: 'refund policy', tool: 'lookup_order' },
    metadata: { lang: 'en' },
    slices: ['intent:refund', 'lang:en'],
    source: 'escalation',
  },
  { id: 'greet-1', input: 'hello', expected: 'Hi!', metadata: {}, slices: ['intent:greeting'], source: 'manual' },
  {
    id: `ex_${contentHash('¿Dónde está mi pedido?')}`,
    input: '¿Dónde está mi pedido?',
    expected: { tool: 'track_order' },
    metadata: { lang: 'es' },
    slices: ['intent:tracking', 'lang:es'],
    source: 'trace',
  },
];

describe('loadDatasetFile', () => {
  it.each([
    ['support-cases.jsonl', 'jsonl'],
    ['support-cases.csv', 'csv'],
    ['support-cases.json', 'json'],
    ['support-cases.yaml', 'yaml'],
  ] as const)('reads %s into the same examples, in file order', async (name, format) => {
    const parsed = await loadDatasetFile(fixture(name));
    expect(parsed.format).toBe(format);
    expect(parsed.examples).toEqual(supportCases);
    expect(parsed.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives the same version hash for the same content in every format', async () => {
    const hashes = await Promise.all(
      ['support-cases.jsonl', 'support-cases.csv', 'support-cases.json', 'support-cases.yaml'].map(async (n) => (await loadDatasetFile(fixture(n))).hash),
    );
    expect(new Set(hashes).size).toBe(1);
    expect(hashes[0]).toBe(datasetVersionHash(supportCases as never));
  });

  it('reports every bad row of a file at once, each with its line, sorted by line', async () => {
    const path = fixture('bad-rows.jsonl');
    const error = await loadError(path);
    expect(error.code).toBe('input');
    expect(error.location).toBe(path);
    const details = error.details as { errors: Array<{ line: number; field?: string; message: string }> };
    expect(details.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(details.errors[0]?.message).toMatch(/^not valid JSON/);
    expect(details.errors[1]?.message).toBe('a row must be an object with an "input" field, got a list');
    expect(details.errors[2]).toEqual({ line: 4, field: 'input', message: 'input is required' });
    expect(details.errors[3]?.message).toContain('got "refund"');
    expect(details.errors[4]?.message).toBe('source must be one of trace, escalation, adversarial, synthetic, manual, got "email"');
    expect(details.errors[5]?.message).toBe('duplicate id "a" on lines 1 and 7');
    expect(details.errors[6]?.message).toMatch(/^unknown field "vars"; allowed fields: id, input, expected, metadata, slices, source, turns, scenario, conversation$/);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe(`7 invalid rows in ${path}`);
    expect(lines[1]).toMatch(new RegExp(`^${escape(path)}:2: not valid JSON`));
    expect(lines[6]).toBe(`${path}:7: duplicate id "a" on lines 1 and 7`);
  });

  it('refuses an empty file', async () => {
    const error = await loadError(fixture('empty.jsonl'));
    expect(error.code).toBe('input');
    expect(error.message).toContain('is empty');
  });

  it('refuses a CSV file with a header and no rows', async () => {
    const error = await loadError(fixture('header-only.csv'));
    expect(error.code).toBe('input');
    expect(error.message).toContain('holds no examples');
  });

  it('refuses an unknown extension before reading the file', async () => {
    const error = await loadError(fixture('cases.txt'));
    expect(error.code).toBe('input');
    expect(error.message).toContain('unsupported dataset file extension ".txt"');
  });

  it('refuses a missing file as an input error naming the path', async () => {
    const path = fixture('does-not-exist.jsonl');
    const error = await loadError(path);
    expect(error.code).toBe('input');
    expect(error.message).toBe(`cannot read dataset file ${path}: no such file`);
  });

  describe('at scale', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'evalops-datasets-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('imports 100,000 JSONL rows, ids derived where missing, and hashes them independent of order', async () => {
      const rows = Array.from({ length: 100_000 }, (_, i) =>
        JSON.stringify(
          i % 2 === 0
            ? { id: `case-${i}`, input: { question: `question ${i}`, n: i }, expected: `answer ${i}`, metadata: { k: i % 7 }, slices: [`bucket:${i % 10}`] }
            : { input: `plain ${i}`, source: 'synthetic' },
        ),
      );
      const forward = join(dir, 'forward.jsonl');
      const backward = join(dir, 'backward.jsonl');
      await writeFile(forward, rows.join('\n'));
      await writeFile(backward, [...rows].reverse().join('\n'));
      const a = await loadDatasetFile(forward);
      const b = await loadDatasetFile(backward);
      expect(a.examples).toHaveLength(100_000);
      expect(a.examples[1]?.id).toBe(`ex_${contentHash('plain 1')}`);
      expect(a.examples[99_999]?.source).toBe('synthetic');
      expect(b.examples[0]?.input).toBe('plain 99999');
      expect(a.hash).toBe(b.hash);
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
