import type { ScorerConfig } from './scorer-config.js';

/**
 * Which parameters of a scorer config name a file on the disk of whoever builds the scorer: a
 * `function` module `path`, a `json-schema` / `tool-args` schema given as a string, a judge rubric
 * that reads as a path. A config of the user's own disk (evalops.yaml) may use them; a config that
 * came in a request (an online rule saved over the API) may not, since the server and the worker
 * would read or import what the request names.
 */

const RUBRIC_FILE = /\.(md|markdown|txt)$/i;

/**
 * Whether a judge rubric names a file: a single path-like token (no whitespace) that ends in
 * .md/.markdown/.txt or starts with ./, ../ or /. Anything else is the rubric text itself.
 * @example rubricNamesFile('./rubrics/helpful.md') // true
 */
export function rubricNamesFile(rubric: string): boolean {
  const trimmed = rubric.trim();
  return !/\s/.test(trimmed) && (RUBRIC_FILE.test(trimmed) || /^\.{0,2}\//.test(trimmed));
}

/** A parameter that names a file: where it is in the scorer config, and what to give instead. */
export interface FileReference {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * The parameters of `scorer` that name a file; empty for a declarative config.
 * @example fileReferences({ type: 'json-schema', schema: '/etc/passwd' }) // [{ path: ['schema'], … }]
 */
export function fileReferences(scorer: ScorerConfig): FileReference[] {
  switch (scorer.type) {
    case 'function':
      return scorer.path === undefined ? [] : [{ path: ['path'], message: 'a function scorer here names a scorer registered by the operator (`name`; see `evalops scorers list`), never a file path' }];
    case 'json-schema':
    case 'tool-args':
      return typeof scorer.schema === 'string' ? [{ path: ['schema'], message: 'a JSON Schema here is inline (an object), never a file path' }] : [];
    case 'judge':
    case 'goal-completed':
      return rubricNamesFile(scorer.rubric) ? [{ path: ['rubric'], message: 'a rubric here is inline text, never a file path (`evalops online apply` inlines rubric files)' }] : [];
    case 'per-turn':
      return fileReferences(scorer.scorer).map((r) => ({ ...r, path: ['scorer', ...r.path] }));
    default:
      return [];
  }
}
