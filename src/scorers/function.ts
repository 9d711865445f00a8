import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { EvalOpsError, errorMessage } from '../core/errors.js';
import { sourceFingerprint } from '../config/source-fingerprint.js';
import { errored, scored, type Score } from '../core/score.js';
import type { Transcript } from '../core/transcript.js';
import { scorerVersion } from './deterministic.js';
import type { Scorer, ScoreInput, ScorerFactory } from './scorer.js';

/** What a user scoring function receives. */
export interface FunctionScorerArgs {
  readonly input: unknown;
  readonly expected: unknown;
  readonly output: unknown;
  readonly toolCalls: ScoreInput['toolCalls'];
  readonly metadata: Readonly<Record<string, unknown>>;
  /** The output as text: strings as they are, anything else as JSON. */
  readonly text: string;
  /** For a conversation result: the whole session (turns, tool calls with results and errors, goal). */
  readonly transcript?: Transcript;
}

const unit = z.number().min(0).max(1);

/** The object form of a user function's return. */
export const FunctionResultSchema = z
  .object({ pass: z.boolean().optional(), score: unit.optional(), reason: z.string().optional(), label: z.string().optional() })
  .refine((r) => r.pass !== undefined || r.score !== undefined, 'needs `pass` (boolean) or `score` (0..1)');

/**
 * `function`: user code decides. `path` (TS or JS, relative to the config's directory) is loaded once;
 * its export `export` (default "default") is called with `{ input, expected, output, toolCalls,
 * metadata, text }`, sync or async, and returns:
 * - a boolean: pass or fail;
 * - a number 0..1: the value, passing when ≥ 0.5;
 * - `{ pass?, score?, reason?, label? }` with `pass` or `score` (pass defaults to score ≥ 0.5, score
 *   to 1 or 0 from pass).
 * A throw or any other return gives an errored score with the message. The version includes a hash of
 * the module file, so editing the function starts a new scorer version (imports it makes are not
 * hashed).
 * @example { type: function, path: ./scorers/cites-order.ts, export: citesOrder }
 */
export const functionScorer: ScorerFactory<'function'> = async (config, deps) => {
  if (config.name !== undefined) {
    const registered = deps.registered?.get(config.name);
    if (!registered) {
      const names = deps.registered?.list().map((s) => s.name) ?? [];
      throw new EvalOpsError('config', `no scorer registered as "${config.name}" here (${names.length > 0 ? `registered: ${names.join(', ')}` : 'none registered; the operator registers scorers with --scorers DIR'})`, { location: 'scorer.name' });
    }
    return callingScorer(registered.fn, scorerVersion(config, { module: registered.fingerprint }), config.name);
  }
  if (config.path === undefined) throw new EvalOpsError('config', 'a function scorer needs `path` or `name`', { location: 'scorer.path' });
  if (deps.baseDir === null) throw new EvalOpsError('config', 'scorer.path names a file; here a function scorer names a registered scorer (`name`) and no file is loaded', { location: 'scorer.path' });
  const path = resolve(deps.baseDir, config.path);
  const exportName = config.export ?? 'default';
  await readModule(path); // a missing or unreadable file is a config error naming it
  const fn = await loadExport(path, exportName, deps.importModule);
  const version = scorerVersion(config, { module: (await sourceFingerprint(path)).slice(0, 16) });
  return callingScorer(fn, version, `${exportName}()`);
};

/** The scorer that calls `fn` on each result; `who` names it in messages (`check()`, a scorer name). */
function callingScorer(fn: (args: FunctionScorerArgs) => unknown, version: string, who: string): Scorer {
  return {
    type: 'function',
    version,
    async score(input) {
      const { example } = input;
      const args: FunctionScorerArgs = {
        input: example.input,
        expected: example.expected,
        output: input.output,
        toolCalls: input.toolCalls,
        metadata: example.metadata,
        text: input.text,
        ...(input.transcript === undefined ? {} : { transcript: input.transcript }),
      };
      let returned: unknown;
      try {
        returned = await fn(args);
      } catch (e) {
        return errored(version, `${who} threw: ${errorMessage(e)}`);
      }
      return toScore(version, returned, who);
    },
  };
}

async function readModule(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new EvalOpsError('config', `cannot read scorer function module: ${errorMessage(cause)}`, { location: path, cause });
  }
}

async function loadExport(
  path: string,
  exportName: string,
  importModule: (absolutePath: string) => Promise<Record<string, unknown>>,
): Promise<(args: FunctionScorerArgs) => unknown> {
  let ns: Record<string, unknown>;
  try {
    ns = await importModule(path);
  } catch (cause) {
    throw new EvalOpsError('config', `cannot load scorer function module: ${errorMessage(cause)}`, { location: path, cause });
  }
  const fn = ns[exportName];
  if (fn === undefined) {
    const names = Object.keys(ns).join(', ') || 'none';
    throw new EvalOpsError('config', `${path} has no export "${exportName}" (exports: ${names})`, { location: path });
  }
  if (typeof fn !== 'function') {
    throw new EvalOpsError('config', `export "${exportName}" of ${path} is a ${typeof fn}, not a function`, { location: path });
  }
  return fn as (args: FunctionScorerArgs) => unknown;
}

/** A user scorer's result (a boolean, a number 0..1 or `{ pass?, score?, reason?, label? }`) as a score; anything else is errored. */
export function toScore(version: string, returned: unknown, who: string): Score {
  if (typeof returned === 'boolean') return scored(version, returned);
  if (typeof returned === 'number') {
    if (!Number.isFinite(returned) || returned < 0 || returned > 1) {
      return errored(version, `${who} returned ${returned}; a number must be within 0..1`);
    }
    return scored(version, returned >= 0.5, { value: returned });
  }
  const parsed = FunctionResultSchema.safeParse(returned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return errored(version, `${who} returned ${describe(returned)}: ${where}${issue?.message ?? 'invalid'}; expected a boolean, a number 0..1 or { pass, score?, reason? }`);
  }
  const { pass, score, reason, label } = parsed.data;
  const verdict = pass ?? (score as number) >= 0.5;
  return scored(version, verdict, {
    ...(score === undefined ? {} : { value: score }),
    ...(reason === undefined ? {} : { reason }),
    ...(label === undefined ? {} : { label }),
  });
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
