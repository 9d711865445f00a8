/**
 * `command` target: any executable. The input goes to stdin as JSON; the output is read from stdout
 * (JSON, required to parse, or text). EVALOPS_EXAMPLE_ID, EVALOPS_TRIAL and EVALOPS_METADATA (JSON)
 * are set in its environment. A string command runs through `/bin/sh -c`; an array runs without a shell.
 * In a conversation stdin holds `{ "messages": [...] }` (the history as ChatMessage[]) and
 * EVALOPS_CONVERSATION_TURN the 0-based turn.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EvalOpsError } from '../core/errors.js';
import { contentHash } from '../core/hash.js';
import type { TargetConfigOf } from '../core/target-config.js';
import type { TargetOutput } from '../core/target-output.js';
import { checkedTargetOutput } from './checked-target-output.js';
import { commandFingerprint } from './command-fingerprint.js';
import { runProcess, type ProcessResult } from './run-process.js';
import type { InvokeContext, Target, TargetFactory } from './target.js';

/** Lines of stderr quoted in the error of a failed command. */
const STDERR_LINES = 10;
/** Characters of non-JSON stdout quoted in the error of an `output: json` command. */
const STDOUT_EXCERPT = 200;

/**
 * The variant hashes the command, cwd, env, output mode and version, and the content of the files the
 * command runs (every argument naming a file under the config folder) and of the `files:` globs — so
 * editing the script gives a new variant and the response cache never serves the old code's outputs.
 * The timeout does not define behaviour and is left out.
 * @example await commandTarget({ type: 'command', command: ['python', 'agent.py'], output: 'json', timeoutMs: 30_000 }, deps)
 */
export const commandTarget: TargetFactory<'command'> = async (config, deps) => {
  const cwd = resolve(deps.baseDir, config.cwd ?? '.');
  await checkDirectory(cwd);
  const code = await commandFingerprint(config, deps.baseDir, cwd);
  const variant = contentHash({
    type: 'command',
    command: config.command,
    cwd: config.cwd,
    env: config.env,
    output: config.output,
    version: config.version,
    files: config.files,
    code: code.hash,
  });
  return {
    type: 'command',
    variant,
    notices: code.warnings,
    invoke: (input, context) => invokeCommand(config, cwd, input, context),
    converse: (messages, context) => invokeCommand(config, cwd, { messages }, context, { EVALOPS_CONVERSATION_TURN: String(context.conversation.turn) }),
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
  extraEnv: Readonly<Record<string, string>> = {},
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
      ...extraEnv,
    },
    stdin: JSON.stringify(input) ?? 'null',
    timeoutMs: config.timeoutMs,
    signal: context.signal,
  });
  if (result.exitCode !== 0) throw exitError(result);
  const text = result.stdout.trim();
  if (config.output === 'text') return { output: text, toolCalls: [] };
  return checkedTargetOutput(parseJsonOutput(text, context.exampleId));
}

/** `output: json` is a contract: prose, a traceback or nothing at all is this result's error, not text. */
function parseJsonOutput(text: string, exampleId: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const excerpt = text.slice(0, STDOUT_EXCERPT);
    const what = text === '' ? 'printed nothing' : `printed something that is not JSON: ${JSON.stringify(excerpt)}${text.length > STDOUT_EXCERPT ? '…' : ''}`;
    throw new EvalOpsError('target', `example ${exampleId}: output is json but the command ${what} (use output: text for plain text)`, {
      details: { exampleId, stdout: excerpt },
    });
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
