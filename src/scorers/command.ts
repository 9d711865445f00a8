import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EvalOpsError } from '../core/errors.js';
import { errored } from '../core/score.js';
import { scorerVersion } from './deterministic.js';
import { toScore } from './function.js';
import type { ScoreInput, ScorerFactory } from './scorer.js';

const DEFAULT_TIMEOUT_MS = 10_000;
/** More stdout than this is not a verdict: the program is stopped and the score errored. */
const MAX_STDOUT_BYTES = 1024 * 1024;

/**
 * `command`: scoring in any language. The program (`command: [python3, ./check.py]`, run without a
 * shell in the config file's directory) reads one JSON document on stdin — `{ exampleId, input,
 * expected, output, toolCalls, metadata, text }` — and writes `{ pass?, score?, reason? }` (or a
 * boolean, or a number 0..1) as JSON on stdout. A non-zero exit, a timeout, or output that is not
 * such JSON is an errored score (counted as a fail, like every errored score). The version hashes
 * the command and the files its arguments name, so editing the script starts a new scorer version.
 * Only a config file may name a command: a scorer built from a request or the store (an online rule,
 * `baseDir` null) is refused, as a function scorer's `path` is.
 * @example { type: command, command: [python3, ./scorers/check.py], timeoutMs: 5000 }
 */
export const commandScorer: ScorerFactory<'command'> = async (config, deps) => {
  if (deps.baseDir === null) throw new EvalOpsError('config', 'a command scorer runs a program; it is allowed in a config file only, not in an online rule or a request', { location: 'scorer.command' });
  const cwd = deps.baseDir;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const version = scorerVersion(config, { files: await fileHashes(config.command, cwd) });
  const who = `command ${config.command.join(' ')}`;
  return {
    type: 'command',
    version,
    async score(input) {
      const outcome = await runOnce(config.command, cwd, JSON.stringify(payload(input)), timeoutMs, input.signal);
      if (outcome.kind === 'failed') return errored(version, `${who}: ${outcome.reason}`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(outcome.stdout);
      } catch {
        return errored(version, `${who} printed no JSON on stdout (got ${JSON.stringify(outcome.stdout.slice(0, 120))})`);
      }
      return toScore(version, parsed, who);
    },
  };
};

function payload(input: ScoreInput) {
  const { example } = input;
  return { exampleId: example.id, input: example.input, expected: example.expected ?? null, output: input.output, toolCalls: input.toolCalls, metadata: example.metadata, text: input.text };
}

type RunOutcome = { kind: 'ok'; stdout: string } | { kind: 'failed'; reason: string };

function runOnce(argv: readonly string[], cwd: string, stdin: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<RunOutcome> {
  return new Promise((done) => {
    const [program, ...args] = argv as [string, ...string[]];
    const child = spawn(program, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let failure: string | undefined;
    const stop = (reason: string): void => {
      failure ??= reason;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(`timed out after ${timeoutMs} ms`), timeoutMs);
    const onAbort = (): void => stop('interrupted');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => {
      outBytes += d.length;
      if (outBytes > MAX_STDOUT_BYTES) return stop(`printed more than ${MAX_STDOUT_BYTES} bytes`);
      out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    // A program that exits without reading stdin closes the pipe: that is its choice, not an error here.
    child.stdin.on('error', () => undefined);
    child.on('error', (e) => stop(`cannot start: ${e.message}`));
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (failure !== undefined) return done({ kind: 'failed', reason: failure });
      if (code !== 0) return done({ kind: 'failed', reason: `exited with ${code === null ? `signal ${sig}` : `code ${code}`}${err.trim() ? `: ${err.trim().split('\n').slice(-3).join(' / ')}` : ''}` });
      done({ kind: 'ok', stdout: Buffer.concat(out).toString('utf8').trim() });
    });
    child.stdin.end(stdin);
  });
}

/** Hashes of the files the arguments name (relative to the config), so an edited script is a new version. */
async function fileHashes(argv: readonly string[], cwd: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const arg of argv) {
    if (arg.startsWith('-')) continue;
    try {
      out[arg] = createHash('sha256').update(await readFile(resolve(cwd, arg))).digest('hex').slice(0, 16);
    } catch {
      // Not a readable file (a program on PATH, a plain argument): only its text counts.
    }
  }
  return out;
}

