import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importModule } from '../../src/config/import-module.js';
import { EvalOpsError } from '../../src/core/errors.js';
import type { TargetConfigOf } from '../../src/core/target-config.js';
import { moduleTarget } from '../../src/targets/module-target.js';
import type { InvokeContext, TargetDeps } from '../../src/targets/target.js';
import { tempFiles, type TempFiles } from '../support/temp-files.js';

const TS_AGENT = `
interface Question { readonly q: string }
interface Ctx { readonly exampleId: string; readonly trial: number; readonly metadata: Record<string, unknown> }
export async function answer(input: Question, ctx: Ctx): Promise<string> {
  return [input.q, ctx.exampleId, ctx.trial, ctx.metadata['lang']].join('|');
}
`;

let files: TempFiles;
let deps: TargetDeps;

beforeAll(async () => {
  files = await tempFiles({
    'esm/package.json': '{"type":"module"}',
    'esm/agent.ts': TS_AGENT,
    'plain/agent.ts': TS_AGENT,
    'agent.mjs': "export const answer = (input) => input.q.toUpperCase();\nexport const notAFunction = 42;\n",
    'broken.mjs': 'export const answer = (;\n',
    'throws.mjs': `
      export const plain = () => { throw new Error('model exploded'); };
      export const overloaded = async () => { throw Object.assign(new Error('busy'), { status: 503, headers: { 'retry-after': '3' } }); };
      export const badRequest = async () => { throw Object.assign(new Error('bad'), { status: 400 }); };
      export const flagged = async () => { throw Object.assign(new Error('flaky'), { retryable: true }); };
      export const notAnError = () => { throw 'just a string'; };
      export const badShape = () => ({ output: 'x', toolCalls: 'lookup' });
      export const lookalike = () => ({ output: 'x', extra: 1 });
      export const honoursSignal = (_input, ctx) => new Promise((_, reject) => {
        ctx.signal.addEventListener('abort', () => reject(new Error('stopped by signal')));
      });
    `,
  });
  deps = { baseDir: files.dir, importModule };
});

afterAll(async () => {
  await files.remove();
});

function module(path: string, extra: Partial<TargetConfigOf<'module'>> = {}): TargetConfigOf<'module'> {
  return { type: 'module', path, export: 'answer', ...extra };
}

const ctx: InvokeContext = { exampleId: 'ex-9', trial: 2, metadata: { lang: 'es' }, signal: new AbortController().signal };

async function rejection(promise: Promise<unknown>): Promise<EvalOpsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EvalOpsError);
  return error as EvalOpsError;
}

describe('moduleTarget', () => {
  it('runs a TypeScript export in a "type": "module" package with the input and ctx', async () => {
    const target = await moduleTarget(module('./esm/agent.ts'), deps);
    await expect(target.invoke({ q: 'refund?' }, ctx)).resolves.toEqual({ output: 'refund?|ex-9|2|es', toolCalls: [] });
  });

  it('runs a TypeScript file outside any ESM package', async () => {
    const target = await moduleTarget(module('./plain/agent.ts'), deps);
    await expect(target.invoke({ q: 'hola' }, ctx)).resolves.toMatchObject({ output: 'hola|ex-9|2|es' });
  });

  it('runs a named export of an .mjs file', async () => {
    const target = await moduleTarget(module('./agent.mjs'), deps);
    await expect(target.invoke({ q: 'hi' }, ctx)).resolves.toEqual({ output: 'HI', toolCalls: [] });
  });

  it('loads the module once, at creation', async () => {
    let loads = 0;
    const counting: TargetDeps = { ...deps, importModule: (path) => (loads++, importModule(path)) };
    const target = await moduleTarget(module('./agent.mjs'), counting);
    await target.invoke({ q: 'a' }, ctx);
    await target.invoke({ q: 'b' }, ctx);
    expect(loads).toBe(1);
  });

  it('refuses a missing file with a config error located at the file', async () => {
    const error = await rejection(moduleTarget(module('./nope.ts'), deps));
    expect(error.code).toBe('config');
    expect(error.location).toBe(`${files.dir}/nope.ts`);
    expect(error.message).toContain('not found');
  });

  it('refuses a missing export and lists the exports there are', async () => {
    const error = await rejection(moduleTarget(module('./agent.mjs', { export: 'reply' }), deps));
    expect(error.code).toBe('config');
    expect(error.message).toContain('no export "reply"');
    expect(error.message).toContain('answer');
    expect(error.location).toBe(`${files.dir}/agent.mjs`);
  });

  it('refuses an export that is not a function', async () => {
    const error = await rejection(moduleTarget(module('./agent.mjs', { export: 'notAFunction' }), deps));
    expect(error.code).toBe('config');
    expect(error.message).toContain('is a number, not a function');
  });

  it('refuses a module that does not load', async () => {
    const error = await rejection(moduleTarget(module('./broken.mjs'), deps));
    expect(error.code).toBe('config');
    expect(error.location).toBe(`${files.dir}/broken.mjs`);
  });

  it('turns a thrown error into a non-retryable target error that keeps the cause', async () => {
    const target = await moduleTarget(module('./throws.mjs', { export: 'plain' }), deps);
    const error = await rejection(target.invoke({}, ctx));
    expect(error).toMatchObject({ code: 'target', retryable: false, message: 'model exploded' });
    expect((error.cause as Error).message).toBe('model exploded');
  });

  it('makes errors with a 5xx status retryable, with Retry-After from their headers', async () => {
    const target = await moduleTarget(module('./throws.mjs', { export: 'overloaded' }), deps);
    const error = await rejection(target.invoke({}, ctx));
    expect(error).toMatchObject({ code: 'target', retryable: true, details: { status: 503, retryAfterMs: 3000 } });
  });

  it('keeps errors with a 4xx status non-retryable', async () => {
    const target = await moduleTarget(module('./throws.mjs', { export: 'badRequest' }), deps);
    const error = await rejection(target.invoke({}, ctx));
    expect(error).toMatchObject({ code: 'target', retryable: false, details: { status: 400 } });
  });

  it('makes errors flagged retryable: true retryable', async () => {
    const target = await moduleTarget(module('./throws.mjs', { export: 'flagged' }), deps);
    expect((await rejection(target.invoke({}, ctx))).retryable).toBe(true);
  });

  it('reports a thrown non-Error value as the message', async () => {
    const target = await moduleTarget(module('./throws.mjs', { export: 'notAnError' }), deps);
    expect((await rejection(target.invoke({}, ctx))).message).toBe('just a string');
  });

  it('refuses a structured output of the wrong shape', async () => {
    const target = await moduleTarget(module('./throws.mjs', { export: 'badShape' }), deps);
    const error = await rejection(target.invoke({}, ctx));
    expect(error.code).toBe('target');
    expect(error.message).toMatch(/^invalid target output: field toolCalls/);
  });

  it('keeps an object with other keys beside output as a plain output', async () => {
    const target = await moduleTarget(module('./throws.mjs', { export: 'lookalike' }), deps);
    await expect(target.invoke({}, ctx)).resolves.toEqual({ output: { output: 'x', extra: 1 }, toolCalls: [] });
  });

  it('aborts ctx.signal on timeout and reports the timeout, not the function’s own error', async () => {
    const target = await moduleTarget(module('./throws.mjs', { export: 'honoursSignal', timeoutMs: 100 }), deps);
    const error = await rejection(target.invoke({}, ctx));
    expect(error).toMatchObject({ code: 'target', retryable: true, message: 'timed out after 100 ms' });
  });

  describe('variant', () => {
    it('follows the file content, not the path', async () => {
      const source = "export const answer = () => 'v';\n";
      await files.write('moved/a.mjs', source);
      await files.write('moved/b.mjs', source);
      const a = await moduleTarget(module('./moved/a.mjs'), deps);
      const b = await moduleTarget(module('./moved/b.mjs'), deps);
      expect(b.variant).toBe(a.variant);
      await files.write('moved/c.mjs', "export const answer = () => 'w';\n");
      const c = await moduleTarget(module('./moved/c.mjs'), deps);
      expect(c.variant).not.toBe(a.variant);
    });

    it('changes with the export name and the version, not the timeout', async () => {
      const base = await moduleTarget(module('./throws.mjs', { export: 'plain' }), deps);
      const otherExport = await moduleTarget(module('./throws.mjs', { export: 'flagged' }), deps);
      const versioned = await moduleTarget(module('./throws.mjs', { export: 'plain', version: '2' }), deps);
      const slower = await moduleTarget(module('./throws.mjs', { export: 'plain', timeoutMs: 9_000 }), deps);
      expect(otherExport.variant).not.toBe(base.variant);
      expect(versioned.variant).not.toBe(base.variant);
      expect(slower.variant).toBe(base.variant);
    });
  });
});
