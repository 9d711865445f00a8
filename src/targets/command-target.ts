/**
 * `command` target: any executable. The input goes to stdin as JSON; the output is read from stdout
 * (JSON, falling back to text, or text). EVALOPS_EXAMPLE_ID, EVALOPS_TRIAL and EVALOPS_METADATA (JSON)
 * are set in its environment. A string command runs through `/bin/sh -c`; an array runs without a shell.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EvalOpsError } from '../core/errors.js';
import { contentHash } from '../core/hash.js';
import type { TargetConfigOf } from '../core/target-config.js';
import type { TargetOutput } from '../core/target-output.js';
import { checkedTargetOutput } from './checked-target-output.js';
import { runProcess, type ProcessResult } from './run-process.js';
import type { InvokeContext, Target, TargetFactory } from './target.js';

/** Lines of stderr quoted in the error of a failed command. */
const STDERR_LINES = 10;

/**
 * The variant hashes the command, cwd, env, output mode and version; the timeout does not define
 * behaviour and is left out.
 * @example await commandTarget({ type: 'command', command: ['python', 'agent.py'], output: 'json', timeoutMs: 30_000 }, deps)
 */
export const commandTarget: TargetFactory<'command'> = async (config, deps) => {
  const cwd = resolve(deps.baseDir, config.cwd ?? '.');
  await checkDirectory(cwd);
  const variant = contentHash({
    type: 'command',
    command: config.command,
    cwd: config.cwd,
    env: config.env,
    output: config.output,
    version: config.version,
  });
  return {
    type: 'command',
    variant,
    invoke: (input, context) => invokeCommand(config, cwd, input, context),
  } satisfies Target;
};

async function checkDirectory(cwd: string): Promise<void> {
  const info = await stat(cwd).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new EvalOpsError('config', 'the command target cwd is not a directory', { location: cwd });
  }
}

async function invokeCommand(
  config: TargetConfigOf<'command'>,
  cwd: string,
  input: unknown,
  context: InvokeContext,
): Promise<TargetOutput> {
  const [file, args] =
    typeof config.command === 'string' ? ['/bin/sh', ['-c', config.command]] : [config.command[0] as string, config.command.slice(1)];
  const result = await runProcess({
    file,
    args,
    cwd,
    env: {
      ...process.env,
      ...config.env,
      EVALOPS_EXAMPLE_ID: context.exampleId,
      EVALOPS_TRIAL: String(context.trial),
      EVALOPS_METADATA: JSON.stringify(context.metadata),
    },
    stdin: JSON.stringify(input) ?? 'null',
    timeoutMs: config.timeoutMs,
    signal: context.signal,
  });
  if (result.exitCode !== 0) throw exitError(result);
  const text = result.stdout.trim();
  if (config.output === 'text') return { output: text, toolCalls: [] };
  return checkedTargetOutput(parseJsonOrText(text));
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function exitError(result: ProcessResult): EvalOpsError {
  const lines = result.stderr.trimEnd().split('\n');
  const tail = lines.slice(-STDERR_LINES).join('\n');
  const how = result.exitCode === null ? `was killed by ${result.signal ?? 'a signal'}` : `exited with code ${result.exitCode}`;
  return new EvalOpsError('target', `command ${how}${tail ? `: ${tail}` : ''}`, {
    details: { exitCode: result.exitCode, signal: result.signal, stderr: tail },
  });
}
