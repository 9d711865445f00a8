/**
 * `module` target: a function exported by the user's own TS or JS file, called in-process as
 * `(input, ctx) => output | Promise<output>` with ctx `{ exampleId, trial, metadata, signal }`. In a
 * conversation the same export is called with `(messages, ctx)`: the history as ChatMessage[] and
 * `ctx.conversation = { turn, exampleId }`.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EvalOpsError } from '../core/errors.js';
import { sourceFingerprint } from '../config/source-fingerprint.js';
import { contentHash } from '../core/hash.js';
import type { TargetConfigOf } from '../core/target-config.js';
import { checkedTargetOutput } from './checked-target-output.js';
import { startDeadline } from './deadline.js';
import type { ConversationPosition, InvokeContext, Target, TargetDeps, TargetFactory } from './target.js';
import { userCodeError } from './target-errors.js';

/** The context a user function receives; `signal` also aborts on the target's timeout. */
export interface ModuleTargetContext {
  readonly exampleId: string;
  readonly trial: number;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly signal: AbortSignal;
  /** Set when the call is a turn of a conversation (the first argument is then the messages). */
  readonly conversation?: ConversationPosition;
}

type TargetFunction = (input: unknown, ctx: ModuleTargetContext) => unknown;

/**
 * Loads the module once; its variant is the hash of the export name, the version and the content of
 * the file and every local file it imports (not their paths, so moving the project keeps the variant).
 * @example await moduleTarget({ type: 'module', path: './agent.ts', export: 'answer' }, deps)
 */
export const moduleTarget: TargetFactory<'module'> = async (config, deps) => {
  const file = resolve(deps.baseDir, config.path);
  await readSource(file); // a missing or unreadable file is a config error naming it
  const fn = await loadExport(file, config.export, deps);
  const variant = contentHash({ type: 'module', export: config.export, version: config.version, source: await sourceFingerprint(file) });
  return {
    type: 'module',
    variant,
    invoke: (input, context) => invokeFunction(fn, config, input, context),
    converse: (messages, context) => invokeFunction(fn, config, messages, context, context.conversation),
  } satisfies Target;
};

async function readSource(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    const missing = (cause as { code?: string }).code === 'ENOENT';
    const message = missing ? 'target module not found' : `could not read target module: ${(cause as Error).message}`;
    throw new EvalOpsError('config', message, { location: file, cause });
  }
}

async function loadExport(file: string, name: string, deps: TargetDeps): Promise<TargetFunction> {
  let ns: Record<string, unknown>;
  try {
    ns = await deps.importModule(file);
  } catch (cause) {
    const message = cause instanceof EvalOpsError ? cause.message : `could not load module: ${(cause as Error).message}`;
    throw new EvalOpsError('config', message, { location: file, cause });
  }
  const fn = ns[name];
  if (fn === undefined) {
    const names = Object.keys(ns).join(', ') || 'none';
    throw new EvalOpsError('config', `target module has no export "${name}" (exports: ${names})`, { location: file });
  }
  if (typeof fn !== 'function') {
    throw new EvalOpsError('config', `export "${name}" of the target module is a ${typeof fn}, not a function`, {
      location: file,
    });
  }
  return fn as TargetFunction;
}

async function invokeFunction(
  fn: TargetFunction,
  config: TargetConfigOf<'module'>,
  input: unknown,
  context: InvokeContext,
  conversation?: ConversationPosition,
): ReturnType<Target['invoke']> {
  const deadline = startDeadline(context.signal, config.timeoutMs);
  try {
    const ctx: ModuleTargetContext = {
      exampleId: context.exampleId,
      trial: context.trial,
      metadata: context.metadata,
      signal: deadline.signal,
      ...(conversation === undefined ? {} : { conversation }),
    };
    const call = (async () => {
      deadline.signal.throwIfAborted();
      try {
        return await fn(input, ctx);
      } catch (thrown) {
        // User code that honours the signal throws its reason (or an AbortError): report the deadline.
        if (deadline.signal.aborted) throw deadline.signal.reason;
        throw userCodeError(thrown);
      }
    })();
    // When the deadline wins the race, a later rejection of the abandoned call must not go unhandled.
    call.catch(() => undefined);
    const value = await Promise.race([call, deadline.expired]);
    return checkedTargetOutput(value);
  } finally {
    deadline.dispose();
  }
}
