import { readdir } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { EvalOpsError } from '../core/errors.js';
import { RegisteredScorerNameSchema } from '../core/scorer-config.js';
import { sourceFingerprint } from '../config/source-fingerprint.js';
import type { FunctionScorerArgs } from './function.js';

/**
 * Scorers registered by the operator: the code an online rule (defined over the API) may run. They
 * are the modules directly in the directory of `evalops serve|worker --scorers DIR`, loaded once at
 * start; a rule names one by its file name without the extension (`my_check.ts` → `my_check`) and
 * never by a path, so no request decides what code the server or the worker loads. Files whose name
 * starts with `_` or `.`, declaration files and subdirectories are not scorers (helpers live there).
 */
export interface RegisteredScorer {
  readonly name: string;
  /** Absolute path of the module; shown to the operator (CLI), never in the API. */
  readonly file: string;
  /** Fingerprint of the module and its local imports: editing it starts a new scorer version. */
  readonly fingerprint: string;
  readonly fn: (args: FunctionScorerArgs) => unknown;
}

export interface RegisteredScorers {
  /** The directory they came from; null when none was given. */
  readonly dir: string | null;
  get(name: string): RegisteredScorer | undefined;
  /** By name. */
  list(): readonly RegisteredScorer[];
}

const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs']);

/** No registered scorers (no `--scorers` given). */
export const NO_REGISTERED_SCORERS: RegisteredScorers = { dir: null, get: () => undefined, list: () => [] };

/**
 * Loads every scorer module of `dir`. Each must default-export a function (called like a `function`
 * scorer's export). A bad file fails the whole load with a config error naming it, so a server does
 * not start with half its scorers.
 * @example const scorers = await loadRegisteredScorers('./scorers', importModule); scorers.get('my_check')
 */
export async function loadRegisteredScorers(dir: string, importModule: (absolutePath: string) => Promise<Record<string, unknown>>): Promise<RegisteredScorers> {
  const root = resolve(dir);
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (cause) {
    throw new EvalOpsError('config', `--scorers: cannot read the directory (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { location: root, cause });
  }
  const byName = new Map<string, RegisteredScorer>();
  const files = entries
    .filter((e) => e.isFile() && MODULE_EXTENSIONS.has(extname(e.name)) && !e.name.endsWith('.d.ts') && !e.name.startsWith('_') && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  for (const fileName of files) {
    const file = join(root, fileName);
    const name = fileName.slice(0, -extname(fileName).length);
    const valid = RegisteredScorerNameSchema.safeParse(name);
    if (!valid.success) throw new EvalOpsError('config', `scorer file name: ${valid.error.issues[0]?.message ?? 'invalid'} (rename the file, or start it with "_" if it is a helper)`, { location: file });
    const other = byName.get(name);
    if (other) throw new EvalOpsError('config', `a second scorer named "${name}" (also ${other.file})`, { location: file });
    const ns = await importModule(file);
    const fn = ns['default'];
    if (typeof fn !== 'function') throw new EvalOpsError('config', `a registered scorer default-exports a function; this default export is ${fn === undefined ? 'missing' : `a ${typeof fn}`}`, { location: file });
    byName.set(name, { name, file, fingerprint: (await sourceFingerprint(file)).slice(0, 16), fn: fn as RegisteredScorer['fn'] });
  }
  const list = [...byName.values()];
  return { dir: root, get: (name) => byName.get(name), list: () => list };
}
