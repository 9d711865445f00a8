import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importModule } from '../config/import-module.js';
import { ScorerConfigSchema } from '../core/scorer-config.js';
import { outputText } from '../core/target-output.js';
import { createScorer } from './create-scorer.js';
import type { ScoreInput } from './scorer.js';

/** The `command` scorer, with a real Python program as the scorer. */
describe('command scorer (python3)', () => {
  let dir = '';
  const input = (output: string): ScoreInput => ({ example: { id: 'e7', input: { q: 'refund?' }, expected: { keyword: 'refund' }, metadata: { lang: 'en' } }, output, text: outputText(output), toolCalls: [], latencyMs: 1 });
  const scorer = async (command: string[], extra: Record<string, unknown> = {}) => createScorer(ScorerConfigSchema.parse({ type: 'command', command, ...extra }), { baseDir: dir, importModule });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'evalops-command-scorer-'));
    await writeFile(
      join(dir, 'check.py'),
      [
        'import json, sys',
        'doc = json.load(sys.stdin)',
        'kw = doc["expected"]["keyword"]',
        'ok = kw in doc["text"]',
        'print(json.dumps({"pass": ok, "score": 1.0 if ok else 0.0, "reason": f"{doc[\'exampleId\']}: {kw} {\'found\' if ok else \'missing\'} ({doc[\'metadata\'][\'lang\']})"}))',
        '',
      ].join('\n'),
    );
    await writeFile(join(dir, 'crash.py'), 'import sys\nsys.stderr.write("boom: no model\\n")\nsys.exit(3)\n');
    await writeFile(join(dir, 'garbage.py'), 'print("looks fine to me")\n');
    await writeFile(join(dir, 'slow.py'), 'import time\ntime.sleep(30)\n');
    await writeFile(join(dir, 'range.py'), 'print("1.5")\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes the example and output as JSON on stdin and reads { pass, score, reason } from stdout', async () => {
    const s = await scorer(['python3', 'check.py']);
    expect(await s.score(input('We can refund you.'))).toMatchObject({ status: 'scored', pass: true, value: 1, reason: 'e7: refund found (en)' });
    expect(await s.score(input('Hello.'))).toMatchObject({ status: 'scored', pass: false, value: 0, reason: 'e7: refund missing (en)' });
  });

  it('a non-zero exit is an errored score with the end of stderr', async () => {
    expect(await (await scorer(['python3', 'crash.py'])).score(input('x'))).toMatchObject({ status: 'errored', reason: expect.stringMatching(/exited with code 3: boom: no model/) });
  });

  it('stdout that is not JSON, or JSON out of range, is an errored score', async () => {
    expect(await (await scorer(['python3', 'garbage.py'])).score(input('x'))).toMatchObject({ status: 'errored', reason: expect.stringContaining('printed no JSON') });
    expect(await (await scorer(['python3', 'range.py'])).score(input('x'))).toMatchObject({ status: 'errored', reason: expect.stringContaining('within 0..1') });
  });

  it('a program past its timeout is killed and the score errored', async () => {
    expect(await (await scorer(['python3', 'slow.py'], { timeoutMs: 300 })).score(input('x'))).toMatchObject({ status: 'errored', reason: expect.stringContaining('timed out after 300 ms') });
  });

  it('a program that cannot start is an errored score', async () => {
    expect(await (await scorer(['./no-such-program'])).score(input('x'))).toMatchObject({ status: 'errored', reason: expect.stringContaining('cannot start') });
  });

  it('editing the script makes a new scorer version', async () => {
    const before = (await scorer(['python3', 'range.py'])).version;
    await writeFile(join(dir, 'range.py'), 'print("0.9")\n');
    expect((await scorer(['python3', 'range.py'])).version).not.toBe(before);
  });

  it('is refused outside a config file (an online rule or a request: no base directory)', async () => {
    await expect(createScorer(ScorerConfigSchema.parse({ type: 'command', command: ['python3', 'check.py'] }), { baseDir: null, importModule })).rejects.toThrow(/config file only/);
  });
});
