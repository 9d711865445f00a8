import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/datasets/parse-csv.js';
import { REPO } from '../cli/run-cli.js';

/** What the README and the example config say about the demo's dataset, checked against the file. */
describe('README counts', () => {
  const readme = readFileSync(`${REPO}/README.md`, 'utf8');
  const cases = readFileSync(`${REPO}/examples/support-bot/data/cases.jsonl`, 'utf8').split('\n').filter((l) => l.trim() !== '').length;

  it('the README states the number of cases the support-bot dataset has', () => {
    const stated = /`examples\/support-bot\/data\/cases\.jsonl`, has (\d+) cases/.exec(readme);
    expect(stated, 'the README names the count of the demo dataset').not.toBeNull();
    expect(Number(stated![1])).toBe(cases);
  });

  it('the README output sample and the example config agree with the file', () => {
    expect(readme).toContain(`"results": { "total": ${cases}, "errors": 0, "cached": 0, "expected": ${cases} }`);
    const config = readFileSync(`${REPO}/examples/support-bot/evalops.yaml`, 'utf8');
    expect(/over (\d+) support cases/.exec(config)?.[1]).toBe(String(cases));
  });

  it('the README CSV example builds the row it says', () => {
    const block = /```csv\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    expect(parseCsv(block!).rows[0]?.value).toEqual({ id: 'r1', slices: 'intent:refund;lang:en', input: { question: 'Can I get a refund?' }, expected: { keyword: 'refund', tool: { name: 'lookup_order' } } });
  });
});
