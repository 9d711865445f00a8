import { readFile } from 'node:fs/promises';
import { EvalOpsError, isEvalOpsError } from '../core/errors.js';

/** One id of an id file, with the line it is on (1-based). */
export interface IdLine {
  readonly id: string;
  readonly line: number;
}

/**
 * Reads a file of ids, one a line: surrounding spaces trimmed, blank lines and lines starting with
 * `#` ignored. Each id must match `pattern` (what it must look like, for the message). A file that
 * cannot be read, names no id, or has a malformed id is a usage error naming the file and line.
 * @example await readIdFile('ids.txt', /^\S+$/, 'an example id') // [{ id: 'e1', line: 1 }, …]
 */
export async function readIdFile(path: string, pattern: RegExp, what: string): Promise<IdLine[]> {
  const text = await readFile(path, 'utf8').catch((e: unknown) => {
    throw new EvalOpsError('usage', `cannot read --file ${path}: ${(e as Error).message}`);
  });
  const ids: IdLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const id = raw.trim();
    if (id === '' || id.startsWith('#')) return;
    if (!pattern.test(id)) throw new EvalOpsError('usage', `"${id.slice(0, 80)}" is not ${what}`, { location: `${path}:${i + 1}` });
    ids.push({ id, line: i + 1 });
  });
  if (ids.length === 0) throw new EvalOpsError('usage', `${path} names no id (blank lines and # comments are ignored)`, { location: path });
  return ids;
}

/**
 * Runs `work` on the ids; when it fails on an id of the file (the error names it), the error is
 * rethrown with the file and line of that id, so the user knows which line to fix.
 */
export async function withIdLines<T>(path: string, ids: readonly IdLine[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!isEvalOpsError(e) || (e.code !== 'input' && e.code !== 'not_found')) throw e;
    const culprit = ids.find((l) => new RegExp(`(^|[^A-Za-z0-9_.-])${l.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9_.-]|$)`).test(e.message));
    if (!culprit) throw e;
    throw new EvalOpsError(e.code, `unknown id "${culprit.id}": ${e.message}`, { location: `${path}:${culprit.line}`, cause: e });
  }
}
