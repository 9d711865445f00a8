import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importModule } from '../../src/config/import-module.js';
import { EvalOpsError } from '../../src/core/errors.js';
import type { TargetConfigOf } from '../../src/core/target-config.js';
import { commandTarget } from '../../src/targets/command-target.js';
import { runProcess } from '../../src/targets/run-process.js';
import type { InvokeContext, TargetDeps } from '../../src/targets/target.js';
import { tempFiles, type TempFiles } from '../support/temp-files.js';

const NODE = process.execPath;
const READ_INPUT = "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));";

let files: TempFiles;
let deps: TargetDeps;

beforeAll(async () => {
  files = await tempFiles({ 'work/marker.txt': 'here\n' });
  deps = { baseDir: files.dir, importModule };
});

afterAll(async () => {
  await files.remove();
});

function command(
  cmd: TargetConfigOf<'command'>['command'],
  extra: Partial<TargetConfigOf<'command'>> = {},
): TargetConfigOf<'command'> {
  return { type: 'command', command: cmd, output: 'json', timeoutMs: 30_000, ...extra };
}

function ctx(signal: AbortSignal = new AbortController().signal): InvokeContext {
  return { exampleId: 'case-42', trial: 3, metadata: { lang: 'de' }, signal };
}

async function rejection(promise: Promise<unknown>): Promise<EvalOpsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EvalOpsError);
  return error as EvalOpsError;
}

/** Running, not merely a zombie waiting for an orphan reaper (on Linux, read from /proc). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!existsSync('/proc/self/stat')) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Waits (bounded) for a process to be gone; killing is asynchronous, so poll rather than assert once. */
async function waitUntilGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

async function waitForFile(path: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const text = await readFile(path, 'utf8').catch(() => '');
    if (text) return text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${path} never appeared`);
}

describe('commandTarget', () => {
  it('writes the input as JSON to stdin', async () => {
    const target = await commandTarget(command([NODE, '-e', `${READ_INPUT} console.log(JSON.stringify(input));`]), deps);
    await expect(target.invoke({ q: 'x', n: [1, 2] }, ctx())).resolves.toEqual({ output: { q: 'x', n: [1, 2] }, toolCalls: [] });
  });

  it('sets the example id, trial, metadata and the configured env', async () => {
    const script =
      "const e = process.env; console.log(JSON.stringify([e.EVALOPS_EXAMPLE_ID, e.EVALOPS_TRIAL, JSON.parse(e.EVALOPS_METADATA), e.MODE, typeof e.PATH]));";
    const target = await commandTarget(command([NODE, '-e', script], { env: { MODE: 'strict' } }), deps);
    const result = await target.invoke(null, ctx());
    expect(result.output).toEqual(['case-42', '3', { lang: 'de' }, 'strict', 'string']);
  });

  it('runs in cwd resolved against the base directory', async () => {
    const target = await commandTarget(command('cat marker.txt', { cwd: 'work', output: 'text' }), deps);
    await expect(target.invoke(null, ctx())).resolves.toEqual({ output: 'here', toolCalls: [] });
  });

  it('refuses a cwd that is not a directory with a config error', async () => {
    const error = await rejection(commandTarget(command('true', { cwd: 'missing' }), deps));
    expect(error.code).toBe('config');
    expect(error.location).toBe(join(files.dir, 'missing'));
  });

  it('runs a string command through the shell', async () => {
    const target = await commandTarget(command('echo hello world | tr a-z A-Z', { output: 'text' }), deps);
    await expect(target.invoke(null, ctx())).resolves.toMatchObject({ output: 'HELLO WORLD' });
  });

  it('runs an array command without a shell', async () => {
    const target = await commandTarget(command(['echo', '$HOME', '|', 'x'], { output: 'text' }), deps);
    await expect(target.invoke(null, ctx())).resolves.toMatchObject({ output: '$HOME | x' });
  });

  describe('output', () => {
    it('keeps JSON-looking stdout as trimmed text in text mode', async () => {
      const target = await commandTarget(command(['printf', '  {"a":1}\\n\\n'], { output: 'text' }), deps);
      await expect(target.invoke(null, ctx())).resolves.toEqual({ output: '{"a":1}', toolCalls: [] });
    });

    it('parses JSON stdout in json mode', async () => {
      const target = await commandTarget(command(['printf', '{"a":1}\\n']), deps);
      await expect(target.invoke(null, ctx())).resolves.toEqual({ output: { a: 1 }, toolCalls: [] });
    });

    it('makes stdout that is not JSON in json mode an error naming the example and quoting 200 characters', async () => {
      const target = await commandTarget(command(['printf', 'plain answer\\n']), deps);
      const error = await rejection(target.invoke(null, ctx()));
      expect(error).toMatchObject({ code: 'target', retryable: false });
      expect(error.message).toContain('example case-42');
      expect(error.message).toContain('"plain answer"');
      const long = await commandTarget(command([NODE, '-e', "process.stdout.write('Traceback ' + 'y'.repeat(500))"]), deps);
      const longError = await rejection(long.invoke(null, ctx()));
      expect(longError.message).toContain(`"Traceback ${'y'.repeat(190)}"…`);
      expect(longError.message).not.toContain('y'.repeat(191));
    });

    it('makes empty stdout in json mode an error', async () => {
      const target = await commandTarget(command(['true']), deps);
      const error = await rejection(target.invoke(null, ctx()));
      expect(error.message).toMatch(/example case-42: output is json but the command printed nothing/);
    });

    it('reads usage and cost from the structured form', async () => {
      const out = JSON.stringify({ output: 'ok', usage: { inputTokens: 5, outputTokens: 2 }, costUsd: 0.001 });
      const target = await commandTarget(command(['printf', '%s', out]), deps);
      await expect(target.invoke(null, ctx())).resolves.toEqual({
        output: 'ok',
        toolCalls: [],
        usage: { inputTokens: 5, outputTokens: 2 },
        costUsd: 0.001,
      });
    });

    it('refuses a structured form of the wrong shape', async () => {
      const target = await commandTarget(command(['printf', '%s', '{"output":"x","costUsd":-1}']), deps);
      const error = await rejection(target.invoke(null, ctx()));
      expect(error).toMatchObject({ code: 'target', retryable: false });
      expect(error.message).toMatch(/^invalid target output: field costUsd/);
    });

    it('does not fail when the command ignores its stdin', async () => {
      const target = await commandTarget(command(['true'], { output: 'text' }), deps);
      await expect(target.invoke({ big: 'x'.repeat(1_000_000) }, ctx())).resolves.toEqual({ output: '', toolCalls: [] });
    });
  });

  describe('failure', () => {
    it('reports a non-zero exit with its code and the last lines of stderr', async () => {
      const script =
        "for (let i = 1; i <= 15; i++) process.stderr.write('line ' + i + '\\n'); process.stdout.write('partial'); process.exit(3);";
      const target = await commandTarget(command([NODE, '-e', script]), deps);
      const error = await rejection(target.invoke(null, ctx()));
      expect(error).toMatchObject({ code: 'target', retryable: false, details: { exitCode: 3 } });
      expect(error.message).toMatch(/^command exited with code 3: line 6\n/);
      expect(error.message).toContain('line 15');
      expect(error.message).not.toContain('line 5\n');
    });

    it('reports a command that cannot start', async () => {
      const target = await commandTarget(command(['/definitely/not/here']), deps);
      const error = await rejection(target.invoke(null, ctx()));
      expect(error).toMatchObject({ code: 'target', retryable: false });
      expect(error.message).toContain('could not start command');
    });

    it('reports a command killed by a signal', async () => {
      const target = await commandTarget(command([NODE, '-e', "process.kill(process.pid, 'SIGKILL')"]), deps);
      const error = await rejection(target.invoke(null, ctx()));
      expect(error.message).toBe('command was killed by SIGKILL');
    });
  });

  describe('stopping', () => {
    it('kills the process when the caller aborts', async () => {
      const pidFile = join(files.dir, 'abort.pid');
      const script = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000);`;
      const target = await commandTarget(command([NODE, '-e', script]), deps);
      const controller = new AbortController();
      const pending = target.invoke(null, ctx(controller.signal));
      const pid = Number(await waitForFile(pidFile));
      expect(isAlive(pid)).toBe(true);
      controller.abort();
      const error = await rejection(pending);
      expect(error).toMatchObject({ code: 'target', message: 'aborted', retryable: false });
      expect(await waitUntilGone(pid)).toBe(true);
    });

    it('kills the whole pipeline of a shell command, not only the shell', async () => {
      const pidFile = join(files.dir, 'pipeline.pid');
      const script = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000);`;
      const target = await commandTarget(command(`${NODE} -e ${JSON.stringify(script)} | cat`), deps);
      const controller = new AbortController();
      const pending = target.invoke(null, ctx(controller.signal));
      const pid = Number(await waitForFile(pidFile));
      controller.abort();
      expect((await rejection(pending)).message).toBe('aborted');
      expect(await waitUntilGone(pid)).toBe(true);
    });

    it('follows SIGTERM with SIGKILL for a process that ignores it', async () => {
      const pidFile = join(files.dir, 'stubborn.pid');
      const script = `process.on('SIGTERM', () => {}); require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000);`;
      const target = await commandTarget(command([NODE, '-e', script]), deps);
      const controller = new AbortController();
      const pending = target.invoke(null, ctx(controller.signal));
      const pid = Number(await waitForFile(pidFile));
      controller.abort();
      expect((await rejection(pending)).message).toBe('aborted');
      expect(await waitUntilGone(pid)).toBe(true);
    });

    it('rejects a process that outlives its timeout with a retryable error', async () => {
      const target = await commandTarget(command([NODE, '-e', 'setInterval(() => {}, 1000);'], { timeoutMs: 300 }), deps);
      const error = await rejection(target.invoke(null, ctx()));
      expect(error).toMatchObject({ code: 'target', retryable: true, message: 'timed out after 300 ms', details: { timeoutMs: 300 } });
    });
  });

  describe('variant', () => {
    it('changes with command, env and output mode but not with the timeout', async () => {
      const base = await commandTarget(command(['agent']), deps);
      const variants = await Promise.all([
        commandTarget(command(['agent', '--fast']), deps),
        commandTarget(command(['agent'], { env: { MODEL: 'b' } }), deps),
        commandTarget(command(['agent'], { output: 'text' }), deps),
      ]);
      for (const other of variants) expect(other.variant).not.toBe(base.variant);
      const slower = await commandTarget(command(['agent'], { timeoutMs: 99_000 }), deps);
      expect(slower.variant).toBe(base.variant);
    });

    it('changes when a script the command names is edited, the config unchanged', async () => {
      const dir = await tempFiles({ 'agent.py': 'print(1)\n' });
      try {
        const own = { baseDir: dir.dir, importModule };
        const config = command('python3 ./agent.py --fast');
        const before = await commandTarget(config, own);
        expect(await commandTarget(config, own)).toMatchObject({ variant: before.variant });
        await dir.write('agent.py', 'print(2)\n');
        expect((await commandTarget(config, own)).variant).not.toBe(before.variant);
      } finally {
        await dir.remove();
      }
    });

    it('changes when a file matched by a files: glob is edited, and warns about a glob matching nothing', async () => {
      const dir = await tempFiles({ 'agent.sh': 'cat lib/answer.txt\n', 'lib/answer.txt': 'a\n', 'node_modules/x/answer.txt': 'dep\n' });
      try {
        const own = { baseDir: dir.dir, importModule };
        const config = command(['sh', 'agent.sh'], { files: ['lib/**/*.txt', 'prompts/*.md'] });
        const before = await commandTarget(config, own);
        expect(before.notices).toEqual([expect.stringContaining('target.files: "prompts/*.md" matches no file')]);
        await dir.write('lib/answer.txt', 'b\n');
        const after = await commandTarget(config, own);
        expect(after.variant).not.toBe(before.variant);
        await dir.write('node_modules/x/answer.txt', 'changed\n');
        expect((await commandTarget(config, own)).variant).toBe(after.variant);
      } finally {
        await dir.remove();
      }
    });

    it('keeps the variant when the project folder moves', async () => {
      const a = await tempFiles({ 'agent.sh': 'echo 1\n' });
      const b = await tempFiles({ 'agent.sh': 'echo 1\n' });
      try {
        const config = command(['sh', 'agent.sh']);
        const va = await commandTarget(config, { baseDir: a.dir, importModule });
        const vb = await commandTarget(config, { baseDir: b.dir, importModule });
        expect(va.variant).toBe(vb.variant);
      } finally {
        await a.remove();
        await b.remove();
      }
    });
  });
});

describe('runProcess', () => {
  const never = new AbortController().signal;
  const base = { args: [], cwd: process.cwd(), env: process.env, stdin: '', timeoutMs: 30_000, signal: never };

  it('stops a process that writes more than the stdout cap', async () => {
    const error = await rejection(
      runProcess({ ...base, file: NODE, args: ['-e', "process.stdout.write('x'.repeat(5000))"], maxStdoutBytes: 1000 }),
    );
    expect(error).toMatchObject({ code: 'target', retryable: false });
    expect(error.message).toBe('command wrote more than 1000 bytes to stdout');
  });

  it('keeps stdout up to the cap', async () => {
    const result = await runProcess({
      ...base,
      file: NODE,
      args: ['-e', "process.stdout.write('x'.repeat(1000))"],
      maxStdoutBytes: 1000,
    });
    expect(result).toMatchObject({ exitCode: 0, signal: null });
    expect(result.stdout).toHaveLength(1000);
  });

  it('keeps only the tail of a large stderr', async () => {
    const script = "process.stderr.write('a'.repeat(200000) + 'END'); process.exit(1);";
    const result = await runProcess({ ...base, file: NODE, args: ['-e', script] });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.length).toBe(64 * 1024);
    expect(result.stderr.endsWith('END')).toBe(true);
  });
});
