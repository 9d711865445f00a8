import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, runCli, type CliResult } from '../cli/run-cli.js';

/** A real `evalops serve` process on loopback, with the admin key it printed on first start. */
export interface ServeProcess {
  readonly url: string;
  readonly adminKey: string;
  readonly pid: number;
  readonly stderr: () => string;
  /** Stops the process (SIGKILL if it is still running); throws if a log line held an API key's secret. */
  readonly stop: () => void;
}

/** Starts `evalops serve --port 0 [args…]` (e.g. `--no-worker`) on the database of `env` and waits for its URL. */
export async function startServe(env: Record<string, string>, args: readonly string[] = []): Promise<ServeProcess> {
  const server: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  server.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    server.stdout!.on('data', (d: Buffer) => {
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(d.toString());
      if (m) resolve(m[0]);
    });
    server.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  const adminKey = /\b(eo_[a-z2-7]{8}_[A-Za-z0-9_-]+)/.exec(stderr)?.[1] ?? '';
  return {
    url,
    adminKey,
    pid: server.pid!,
    stderr: () => stderr,
    stop: () => {
      if (server.exitCode === null) server.kill('SIGKILL');
      assertNoKeySecretLogged(stderr);
    },
  };
}

/** Creates a key with the local CLI (`evalops keys create … --json`) and returns its plaintext. */
export async function createKeyLocally(env: Record<string, string>, args: readonly string[]): Promise<string> {
  const res: CliResult = await runCli(['keys', 'create', ...args, '--json'], { env });
  if (res.code !== 0) throw new Error(`keys create ${args.join(' ')} failed: ${res.stderr}`);
  return (JSON.parse(res.stdout) as { secret: string }).secret;
}

/** An API client for one server: `call(key, method, path, body?)` → status and parsed JSON. */
export function apiClient(url: string) {
  return async (key: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

/**
 * Every test that starts `evalops serve` checks its log on stop: no JSON log line may hold a whole
 * API key (the first-start banner that shows the new admin key once is not a log line).
 */
export function assertNoKeySecretLogged(stderr: string): void {
  const leaked = stderr.split('\n').filter((line) => line.startsWith('{') && /eo_[a-z2-7]{8}_[A-Za-z0-9_-]{43}/.test(line));
  if (leaked.length) throw new Error(`evalops serve logged an API key secret:\n${leaked.slice(0, 3).join('\n')}`);
}
