import { EvalOpsError } from '../core/errors.js';
import type { RowError } from './raw-row.js';

/** How many row errors the message spells out; all of them are in `details.errors`. */
export const MAX_LISTED_ROW_ERRORS = 20;

/**
 * One input error for all the bad rows of a file. The message lists the first errors as
 * `file:line: message` (messages name their field), ready for a CLI to print; `details.errors` holds every error.
 * @example invalidRowsError('cases.jsonl', [{ line: 3, message: 'not valid JSON' }]).message
 * // '1 invalid row in cases.jsonl\ncases.jsonl:3: not valid JSON'
 */
export function invalidRowsError(file: string, errors: readonly RowError[]): EvalOpsError {
  const sorted = [...errors].sort((a, b) => a.line - b.line);
  const rowCount = new Set(sorted.map((e) => e.line)).size;
  const listed = sorted.slice(0, MAX_LISTED_ROW_ERRORS).map((e) => formatRowError(file, e));
  const more = sorted.length - listed.length;
  const message = [
    `${rowCount} invalid row${rowCount === 1 ? '' : 's'} in ${file}`,
    ...listed,
    ...(more > 0 ? [`… and ${more} more error${more === 1 ? '' : 's'}`] : []),
  ].join('\n');
  const details = { errors: sorted.map((e) => ({ line: e.line, ...(e.field === undefined ? {} : { field: e.field }), message: e.message })) };
  return new EvalOpsError('input', message, { location: file, details });
}

/** @example formatRowError('a.csv', { line: 4, message: 'id must not be empty' }) // 'a.csv:4: id must not be empty' */
export function formatRowError(file: string, error: RowError): string {
  return `${file}:${error.line}: ${error.message}`;
}

/**
 * One input error for the bad examples of a request body (`{ examples: [...] }`): each named by its
 * index and field, as a JSON path (`examples[3].metadata: …`); `details.errors` holds every error with
 * its `index`. The rows' `line` is their 0-based index in `examples`.
 * @example invalidExamplesError([{ line: 1, field: 'id', message: 'id must not be empty' }]).message
 * // '1 invalid example in the request body\nexamples[1].id: id must not be empty'
 */
export function invalidExamplesError(errors: readonly RowError[]): EvalOpsError {
  const sorted = [...errors].sort((a, b) => a.line - b.line);
  const count = new Set(sorted.map((e) => e.line)).size;
  const listed = sorted.slice(0, MAX_LISTED_ROW_ERRORS).map((e) => `${examplePath(e)}: ${e.message}`);
  const more = sorted.length - listed.length;
  const message = [
    `${count} invalid example${count === 1 ? '' : 's'} in the request body`,
    ...listed,
    ...(more > 0 ? [`… and ${more} more error${more === 1 ? '' : 's'}`] : []),
  ].join('\n');
  const details = { errors: sorted.map((e) => ({ index: e.line, ...(e.field === undefined ? {} : { field: e.field }), message: e.message })) };
  return new EvalOpsError('input', message, { details });
}

function examplePath(error: RowError): string {
  return `examples[${error.line}]${error.field === undefined ? '' : `.${error.field}`}`;
}
