import type { Example } from '../core/example.js';
import { normaliseExample } from './normalise-example.js';
import type { RawRow, RowError } from './raw-row.js';

/** How a duplicate id's two positions read in its message, e.g. `on lines 2 and 5`. */
export type DescribePair = (first: number, second: number) => string;

const ON_LINES: DescribePair = (first, second) => `on lines ${first} and ${second}`;

/**
 * Raw rows (from a file, or an API body) → examples in row order, and every problem of every row:
 * each row normalised (normaliseExample), then ids checked unique. The rows' `line` is whatever
 * position the caller counts in (a file's line, a body's index); `describePair` words a duplicate.
 * @example normaliseRows([{ line: 1, value: { id: 'a', input: 'hi' } }]).examples[0]?.id // 'a'
 */
export function normaliseRows(rows: readonly RawRow[], describePair: DescribePair = ON_LINES): { examples: Example[]; errors: RowError[] } {
  const errors: RowError[] = [];
  const examples: Example[] = [];
  const firstLineOfId = new Map<string, number>();
  for (const row of rows) {
    const result = normaliseExample(row.value, row.line);
    if (!result.ok) {
      errors.push(...(row.columns === undefined ? result.errors : result.errors.map((e) => withColumn(e, row.columns as ReadonlyMap<string, string>))));
      continue;
    }
    const { example } = result;
    const first = firstLineOfId.get(example.id);
    if (first === undefined) {
      firstLineOfId.set(example.id, row.line);
      examples.push(example);
    } else {
      const derived = (row.value as { id?: unknown }).id == null ? ' (derived from the same input; give each row an id)' : '';
      errors.push({ line: row.line, field: 'id', message: `duplicate id "${example.id}" ${describePair(first, row.line)}${derived}` });
    }
  }
  return { examples, errors };
}

/** An error about a field that came from a named column says which (`turns.1.user: … (column 4 "turn.2")`). */
function withColumn(error: RowError, columns: ReadonlyMap<string, string>): RowError {
  if (error.field === undefined) return error;
  const parts = error.field.split('.');
  for (let n = parts.length; n > 0; n--) {
    const label = columns.get(parts.slice(0, n).join('.'));
    if (label !== undefined) return { ...error, message: `${error.message} (${label})` };
  }
  return error;
}
