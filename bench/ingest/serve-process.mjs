/**
 * `evalops serve` as a child process for the ingest bench: started on a database URL with `--port 0`,
 * its URL read from stdout and the first-start admin key from stderr; an ingest key created with
 * `evalops keys create`; memory read from /proc/<pid>/status; stopped with SIGTERM (graceful drain).
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { EVALOPS_BIN, REPO_ROOT } from '../lib/paths.mjs';
import { tail } from '../lib/timed-process.mjs';

/** `VmHWM` (peak resident set) and `VmRSS` of a live process, in KiB. */
export function processMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { hwmKiB: field('VmHWM'), rssKiB: field('VmRSS') };
}

/** The environment the CLI runs with on `databaseUrl`. */
export function serveEnv(databaseUrl) {
  return { ...process.env, EVALOPS_DATABASE_URL: databaseUrl, EVALOPS_ACTOR: 'bench@example.com' };
}

/**
 * Starts `node [nodeArgs] <entry> serve --port 0 [serveArgs]` with EVALOPS_DATABASE_URL = `databaseUrl`.
 * `entry` defaults to the bundled CLI (bin/evalops.js); the profiler uses the unbundled dist/cli/main.js
 * so that samples name the source files.
 */
export async function startServe({ databaseUrl, nodeArgs = [], serveArgs = [], entry = EVALOPS_BIN, cwd = REPO_ROOT }) {
  const env = serveEnv(databaseUrl);
  const child = spawn(process.execPath, [...nodeArgs, entry, 'serve', '--port', '0', ...serveArgs], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d.toString();
    if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 19));
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`evalops serve printed no URL within 30 s: ${tail(stderr)}`)), 30_000);
    child.stdout.on('data', (d) => {
      stdout += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`evalops serve exited (${code ?? signal}) before listening: ${tail(stderr)}`));
    });
  });
  const adminKey = /\b(eo_[a-z2-7]{8}_[A-Za-z0-9_-]+)/.exec(stderr)?.[1];
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    pid: child.pid,
    url,
    adminKey,
    env,
    stderr: () => stderr,
    memory: () => processMemory(child.pid),
    /** SIGTERM, then waits for the exit (the server drains in-flight writes first). */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** `evalops keys create --role ROLE --project P --json` on the same database; returns the key (its `secret`). */
export function createKey(env, role, project) {
  const r = spawnSync(process.execPath, [EVALOPS_BIN, 'keys', 'create', '--role', role, '--project', project, '--json'], { cwd: REPO_ROOT, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`evalops keys create --role ${role} failed (${r.status}): ${tail(r.stderr)}`);
  const key = JSON.parse(r.stdout).secret;
  if (typeof key !== 'string' || !key.startsWith('eo_')) throw new Error(`evalops keys create printed no key: ${tail(r.stdout)}`);
  return key;
}

/** Samples a process's resident set every `everyMs` until stopped; the largest sample is the phase's peak. */
export function rssSampler(pid, everyMs = 100) {
  let peakKiB = 0;
  const sample = () => {
    try {
      peakKiB = Math.max(peakKiB, processMemory(pid).rssKiB);
    } catch {
      // the process is gone: keep what was seen
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peakKiB;
    },
  };
}
