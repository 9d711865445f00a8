/**
 * Runs one process under GNU time (`/usr/bin/time -f '%e %M %U %S'`) and measures its wall time with
 * the high-resolution clock as well. GNU time reports the peak RSS (%M) of its direct child, so the
 * command given here must be the real worker (`node …`), never a shell or npx.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_TIME = '/usr/bin/time';

/**
 * @param {string} command the executable (direct child of GNU time)
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, prefix?: string[], onSpawn?: () => void }} options
 *   `prefix` runs before GNU time and must exec it in place (e.g. `['unshare', '-n']`).
 * @returns {Promise<{ code: number | null, signal: string | null, wallMs: number, startedAt: number,
 *   endedAt: number, peakRssKiB: number, userS: number, sysS: number, stdout: string, stderr: string }>}
 *   `startedAt`/`endedAt` are `performance.now()` values of this process.
 */
export function timedProcess(command, args, options = {}) {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} (GNU time) is required to measure peak memory`);
  const dir = mkdtempSync(join(tmpdir(), 'evalops-bench-time-'));
  const timeFile = join(dir, 'time.txt');
  const prefix = options.prefix ?? [];
  const argv = [...prefix.slice(1), GNU_TIME, '-f', '%e %M %U %S', '-o', timeFile, command, ...args];
  const exe = prefix[0] ?? GNU_TIME;
  const finalArgv = prefix.length > 0 ? argv : argv.slice(1);
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(exe, finalArgv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    options.onSpawn?.();
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', (e) => {
      rmSync(dir, { recursive: true, force: true });
      reject(e);
    });
    child.on('close', (code, signal) => {
      const endedAt = performance.now();
      let fields = [];
      try {
        // GNU time may write "Command exited with non-zero status N" before the format line.
        const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
        fields = (lines.at(-1) ?? '').trim().split(/\s+/).map(Number);
      } catch {
        // no time file: the process could not be started; reported below through NaN figures
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const [, peakRssKiB = Number.NaN, userS = Number.NaN, sysS = Number.NaN] = fields;
      resolve({
        code,
        signal,
        wallMs: endedAt - startedAt,
        startedAt,
        endedAt,
        peakRssKiB,
        userS,
        sysS,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** A short excerpt of a failed process's output for an error message. */
export function tail(text, chars = 1200) {
  return text.length > chars ? `…${text.slice(-chars)}` : text;
}
