import { spawn, type ChildProcess } from 'node:child_process';
import { EvalOpsError } from '../core/errors.js';
import { startDeadline } from './deadline.js';

/**
 * Runs one child process with stdin, a timeout, an abort signal and bounded capture. On timeout or
 * abort the whole process group gets SIGTERM, then SIGKILL after a grace period, so a shell pipeline
 * does not outlive its call.
 */
export interface ProcessRequest {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** Most stdout bytes kept; past it the process is stopped and the call fails. Default 10 MiB. */
  readonly maxStdoutBytes?: number;
}

export interface ProcessResult {
  /** null when the process was ended by a signal. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  /** The last STDERR_TAIL_BYTES of stderr. */
  readonly stderr: string;
}

const MAX_STDOUT_BYTES = 10 * 1024 * 1024;
const STDERR_TAIL_BYTES = 64 * 1024;
const KILL_GRACE_MS = 2_000;
/** A process group can be signalled as a whole only on POSIX. */
const GROUPS = process.platform !== 'win32';

/**
 * Resolves with the exit status and output, whatever the exit code; rejects with a `target` error
 * when the process cannot start, times out (retryable), is aborted or floods stdout.
 * @example await runProcess({ file: 'node', args: ['-e', 'process.stdin.pipe(process.stdout)'], stdin: '"hi"', ... })
 */
export function runProcess(request: ProcessRequest): Promise<ProcessResult> {
  const deadline = startDeadline(request.signal, request.timeoutMs);
  if (deadline.signal.aborted) {
    deadline.dispose();
    return Promise.reject(deadline.signal.reason as Error);
  }
  const maxStdout = request.maxStdoutBytes ?? MAX_STDOUT_BYTES;
  return new Promise<ProcessResult>((resolvePromise, reject) => {
    let settled = false;
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrTail = Buffer.alloc(0);
    const child = spawn(request.file, [...request.args], {
      cwd: request.cwd,
      env: request.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: GROUPS,
    });
    const settle = (outcome: { error: Error } | { result: ProcessResult }): void => {
      if (settled) return;
      settled = true;
      deadline.dispose();
      if ('error' in outcome) reject(outcome.error);
      else resolvePromise(outcome.result);
    };
    const stop = (error: Error): void => {
      terminate(child);
      settle({ error });
    };
    deadline.signal.addEventListener('abort', () => stop(deadline.signal.reason as Error), { once: true });
    child.stdout?.on('data', (chunk: Buffer) => {
      if (settled) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdout) {
        stop(new EvalOpsError('target', `command wrote more than ${maxStdout} bytes to stdout`, { details: { maxStdout } }));
      } else stdout.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderrTail = Buffer.concat([stderrTail, chunk]);
      if (stderrTail.length > STDERR_TAIL_BYTES) stderrTail = stderrTail.subarray(stderrTail.length - STDERR_TAIL_BYTES);
    });
    child.on('error', (cause) => {
      settle({ error: new EvalOpsError('target', `could not start command: ${cause.message}`, { cause }) });
    });
    child.on('close', (exitCode, signal) => {
      settle({
        result: { exitCode, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: stderrTail.toString('utf8') },
      });
    });
    // A command that exits without reading its input closes the pipe: that is not an error of ours.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(request.stdin);
  });
}

function terminate(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  signalTree(child, pid, 'SIGTERM');
  const timer = setTimeout(() => signalTree(child, pid, 'SIGKILL'), KILL_GRACE_MS);
  child.once('close', () => clearTimeout(timer));
}

function signalTree(child: ChildProcess, pid: number, signal: NodeJS.Signals): void {
  try {
    if (GROUPS) process.kill(-pid, signal);
    else child.kill(signal);
  } catch {
    // Already gone.
  }
}
