import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importModule } from '../config/import-module.js';
import { EvalOpsError } from '../core/errors.js';
import type { ScorerConfig } from '../core/scorer-config.js';
import { outputText } from '../core/target-output.js';
import { createScorer } from './create-scorer.js';
import { loadRegisteredScorers, NO_REGISTERED_SCORERS } from './registered-scorers.js';
import type { ScoreInput } from './scorer.js';

const FIXTURES = resolve('test/fixtures/scorers');
const input = (output: string): ScoreInput => ({ example: { id: 'e1', input: 'q', expected: undefined, metadata: {} }, output, text: outputText(output), toolCalls: [], latencyMs: 1 });

async function configError(promise: Promise<unknown>): Promise<EvalOpsError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(EvalOpsError);
  expect((error as EvalOpsError).code).toBe('config');
  return error as EvalOpsError;
}

describe('loadRegisteredScorers', () => {
  it('registers each module directly in the directory by file name; helpers (_x), other files and subdirectories are not scorers', async () => {
    const scorers = await loadRegisteredScorers(join(FIXTURES, 'registered'), importModule);
    expect(scorers.list().map((s) => s.name)).toEqual(['cites_policy', 'short-enough']);
    expect(scorers.get('_helpers')).toBeUndefined();
    expect(scorers.get('cites_policy')?.file).toBe(join(FIXTURES, 'registered', 'cites_policy.ts'));
    expect(scorers.get('cites_policy')?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('runs a registered scorer named by `name`, with no base directory (nothing read from a path)', async () => {
    const registered = await loadRegisteredScorers(join(FIXTURES, 'registered'), importModule);
    const deps = { baseDir: null, importModule: () => Promise.reject(new Error('no import expected')), registered };
    const cites = await createScorer({ type: 'function', name: 'cites_policy' }, deps);
    expect(await cites.score(input('See our refund Policy.'))).toMatchObject({ status: 'scored', pass: true, reason: 'cites the policy' });
    expect(await cites.score(input('No idea.'))).toMatchObject({ status: 'scored', pass: false });
    const short = await createScorer({ type: 'function', name: 'short-enough', not: true }, deps);
    expect(await short.score(input('x'.repeat(150)))).toMatchObject({ status: 'scored', pass: true, value: 0.75 });
  });

  it('refuses an unknown name, listing what is registered', async () => {
    const registered = await loadRegisteredScorers(join(FIXTURES, 'registered'), importModule);
    const e = await configError(createScorer({ type: 'function', name: 'nope' }, { baseDir: null, importModule, registered }));
    expect(e.message).toContain('no scorer registered as "nope"');
    expect(e.message).toContain('cites_policy, short-enough');
    expect((await configError(createScorer({ type: 'function', name: 'nope' }, { baseDir: null, importModule, registered: NO_REGISTERED_SCORERS }))).message).toContain('--scorers DIR');
  });

  it('fails the whole load on a module without a default function export, naming the file', async () => {
    const e = await configError(loadRegisteredScorers(join(FIXTURES, 'bad-default'), importModule));
    expect(e.location).toBe(join(FIXTURES, 'bad-default', 'no_default.ts'));
    expect(e.message).toContain('default-exports a function');
  });

  it('fails on a file name that is not a scorer name, on two modules of one name, and on a missing directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evalops-scorers-'));
    try {
      await writeFile(join(dir, '9lives.mjs'), 'export default () => true;');
      expect((await configError(loadRegisteredScorers(dir, importModule))).location).toBe(join(dir, '9lives.mjs'));
      await rm(join(dir, '9lives.mjs'));
      await writeFile(join(dir, 'twice.mjs'), 'export default () => true;');
      await writeFile(join(dir, 'twice.js'), 'export default () => true;');
      expect((await configError(loadRegisteredScorers(dir, importModule))).message).toContain('a second scorer named "twice"');
      expect((await configError(loadRegisteredScorers(join(dir, 'absent'), importModule))).message).toContain('cannot read the directory (ENOENT)');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('scorers built with no base directory (online rules)', () => {
  const sealed = { baseDir: null, importModule: () => Promise.reject(new Error('no import expected')) };
  it('refuses every parameter naming a file, without reading it and without quoting it', async () => {
    const cases: [ScorerConfig, string][] = [
      [{ type: 'function', path: '/etc/passwd' }, 'scorer.path'],
      [{ type: 'json-schema', schema: '/etc/passwd' }, 'scorer.schema'],
      [{ type: 'tool-args', name: 'refund', schema: '/etc/hostname' }, 'scorer.schema'],
      [{ type: 'judge', rubric: '/etc/passwd', labels: ['no', 'yes'], pass: ['yes'] }, 'scorer.rubric'],
    ];
    for (const [config, field] of cases) {
      const e = await configError(createScorer(config, sealed));
      expect(e.message.startsWith(field)).toBe(true);
      expect(e.message).not.toContain('root:');
      expect(e.message).not.toContain('/etc/');
    }
  });
});
