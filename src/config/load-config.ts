/**
 * Finds, reads and validates the project config: `evalops.yaml` (with line numbers in every message)
 * or `evalops.config.ts` / `.mjs` / `.js` (default export, or a named `config` export).
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { EvalOpsError } from '../core/errors.js';
import { configError, configIssue } from './config-issue.js';
import type { EvalOpsConfig } from './config-schema.js';
import { importModule } from './import-module.js';
import { validateConfig } from './validate-config.js';
import { yamlLineOf } from './yaml-line.js';

export interface LoadedConfig {
  readonly config: EvalOpsConfig;
  /** Absolute path of the config file. */
  readonly path: string;
  /** Directory of the config file; relative paths in the config resolve against it. */
  readonly baseDir: string;
  /** The line of a field of a YAML config (e.g. `['metrics', 0, 'scorer', 'schema']`), for errors found after validation. */
  readonly lineOf?: (path: readonly PropertyKey[]) => number | undefined;
}

/** The names looked for, in order, when no path is given. */
export const CONFIG_FILE_NAMES = ['evalops.yaml', 'evalops.yml', 'evalops.config.ts', 'evalops.config.mjs', 'evalops.config.js'] as const;

const YAML_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);

/**
 * Loads the config at `path` (relative to `cwd`), or the first of CONFIG_FILE_NAMES in `cwd`.
 * Throws EvalOpsError('usage') when there is no file, EvalOpsError('config') listing every issue.
 * @example const { config, baseDir } = await loadConfig('examples/support-bot/evalops.yaml');
 */
export async function loadConfig(path?: string, cwd: string = process.cwd()): Promise<LoadedConfig> {
  const file = path === undefined ? await findConfig(cwd) : await existingFile(resolve(cwd, path));
  const shown = displayName(file, cwd);
  const ext = extname(file).toLowerCase();
  if (YAML_EXTENSIONS.has(ext)) {
    const { config, lineOf } = validateYaml(await readFile(file, 'utf8'), shown);
    return { config, path: file, baseDir: dirname(file), lineOf };
  }
  if (MODULE_EXTENSIONS.has(ext)) return { config: validateConfig(await moduleConfig(file, shown), { file: shown }), path: file, baseDir: dirname(file) };
  throw new EvalOpsError('usage', `unsupported config file type "${ext}"; use .yaml, .yml, .ts, .mjs or .js`, { location: shown });
}

async function findConfig(cwd: string): Promise<string> {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = resolve(cwd, name);
    if (await isFile(candidate)) return candidate;
  }
  throw new EvalOpsError('usage', `no evalops.yaml or evalops.config.ts in ${cwd}; run \`evalops init\` or pass -c FILE`);
}

async function existingFile(file: string): Promise<string> {
  if (await isFile(file)) return file;
  throw new EvalOpsError('usage', `config file not found: ${file}`);
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The file as the user would write it: relative to cwd when inside it, absolute otherwise. */
function displayName(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

function validateYaml(text: string, file: string): { config: EvalOpsConfig; lineOf: (path: readonly PropertyKey[]) => number | undefined } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => {
      const line = lineCounter.linePos(e.pos[0]).line;
      return { path: '', line, message: `YAML syntax error: ${e.message}`, location: `${file}:${line}` };
    });
    throw configError(issues, doc.errors[0]);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    throw configError([configIssue(file, [], `could not read YAML: ${(cause as Error).message}`)], cause);
  }
  const lineOf = (path: readonly PropertyKey[]) => yamlLineOf(doc, lineCounter, path);
  return { config: validateConfig(raw, { file, lineOf }), lineOf };
}

async function moduleConfig(file: string, shown: string): Promise<unknown> {
  let ns: Record<string, unknown>;
  try {
    ns = await importModule(file);
  } catch (cause) {
    const message = cause instanceof EvalOpsError ? cause.message : String(cause);
    throw new EvalOpsError('config', `could not load ${basename(file)}: ${message}`, { location: shown, cause });
  }
  const value = ns['default'] ?? ns['config'];
  if (value === undefined) {
    throw new EvalOpsError('config', 'the config module must `export default defineConfig({...})` (or export `config`)', {
      location: shown,
    });
  }
  return value;
}
