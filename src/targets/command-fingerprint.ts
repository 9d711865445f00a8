import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { sourceFingerprint } from '../config/source-fingerprint.js';
import { globToRegExp } from '../core/glob-pattern.js';
import { sha256 } from '../core/hash.js';

/** Folders never searched by `files:` globs: dependencies, VCS data and EvalOps' own database. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.evalops']);
/** Scripts whose local imports esbuild can follow (as for module targets). */
const SCRIPT_WITH_IMPORTS = /\.(?:[cm]?[jt]s|tsx|jsx)$/;

export interface CommandFingerprint {
  /** Hash of every file the command runs and every `files:` match, by path relative to the config folder. */
  readonly hash: string;
  /** Config-folder-relative paths that went into the hash, sorted (for tests and messages). */
  readonly files: readonly string[];
  /** One warning per `files:` glob that matched nothing. */
  readonly warnings: readonly string[];
}

/**
 * What a command target runs, as content: every argument of the command (the executable included)
 * that names an existing file under the config folder — a script, a binary — plus every file a
 * `files:` glob matches. JS/TS scripts bring their local import graph (as module targets do). Paths
 * are relative to the config folder, so moving the project keeps the hash; editing any file changes it.
 * @example await commandFingerprint({ command: ['python', 'agent.py'], files: ['lib/**\/*.py'] }, '/proj', '/proj')
 */
export async function commandFingerprint(
  config: { readonly command: string | readonly string[]; readonly files?: readonly string[] | undefined },
  baseDir: string,
  cwd: string,
): Promise<CommandFingerprint> {
  const root = resolve(baseDir);
  const parts = new Map<string, string>();
  const add = async (file: string): Promise<void> => {
    const name = relative(root, file).split(sep).join('/');
    if (parts.has(name)) return;
    const hash = SCRIPT_WITH_IMPORTS.test(file) ? await sourceFingerprint(file) : await fileHash(file);
    parts.set(name, hash);
  };

  for (const word of commandWords(config.command)) {
    const file = isAbsolute(word) ? word : resolve(cwd, word);
    if (!isInside(root, file)) continue;
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile()) await add(file);
  }

  const warnings: string[] = [];
  if (config.files && config.files.length > 0) {
    const all = await listFiles(root);
    for (const glob of config.files) {
      const pattern = globToRegExp(glob.replace(/^\.\//, ''));
      const matches = all.filter((p) => pattern.test(p));
      if (matches.length === 0) warnings.push(`target.files: "${glob}" matches no file under ${root}`);
      for (const m of matches) await add(join(root, m));
    }
  }

  const files = [...parts.keys()].sort();
  return { hash: sha256(files.map((f) => `${f}\u0000${parts.get(f) ?? ''}`).join('\n')), files, warnings };
}

/**
 * The words of a command: an array as given; a shell string split on blanks and shell operators,
 * with simple quotes removed (enough to find `python ./agent.py` or `"./bin/my agent" --flag`).
 */
export function commandWords(command: string | readonly string[]): string[] {
  if (typeof command !== 'string') return [...command];
  const words: string[] = [];
  for (const match of command.matchAll(/"([^"]*)"|'([^']*)'|([^\s;|&<>()]+)/g)) {
    const word = match[1] ?? match[2] ?? match[3] ?? '';
    if (word) words.push(word.replace(/^[^=\s]+=(?=[./])/, '')); // `--config=./x.yaml` names ./x.yaml
  }
  return words;
}

/** A binary is hashed as bytes (not decoded as text); an unreadable file hashes as empty. */
async function fileHash(file: string): Promise<string> {
  const bytes = await readFile(file).catch(() => Buffer.alloc(0));
  return createHash('sha256').update(bytes).digest('hex');
}

function isInside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Every file under root, as `/`-separated relative paths, skipping dependency and VCS folders. */
async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) await walk(join(dir, e.name));
      } else if (e.isFile()) out.push(relative(root, join(dir, e.name)).split(sep).join('/'));
    }
  };
  await walk(root);
  return out.sort();
}
