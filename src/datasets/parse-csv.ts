import { CsvError, parse } from 'csv-parse/sync';
import { checkConversationHeader, csvConversation, isConversationColumn } from './csv-conversation.js';
import type { RawRow, RowError, RowParseResult } from './raw-row.js';

/**
 * A CSV dataset file with a header row. Columns `id`, `input`, `expected`, `metadata`, `slices`,
 * `source` fill those fields; `input.x` / `expected.x` / `metadata.x` (any depth) build nested objects;
 * every other column becomes `metadata[column]`. A cell that looks like a JSON object or array is
 * parsed as JSON (in `metadata` it must be); other cells stay strings; an empty cell means "absent".
 * `slices` stays the raw text ("intent:refund; lang:es") for normalisation to split. Conversations:
 * a `turns` cell (JSON array) or `turn.N` / `turn.N.expected` columns, and a `scenario` cell (JSON
 * object) or `scenario.*` columns (see csv-conversation.ts); their errors name the column. CRLF becomes LF
 * first, inside quoted cells too: csv-parse miscounts lines around blank CRLF lines, and a cell's
 * content should not depend on the platform that wrote the file.
 * @example parseCsv('input,expected,lang\nhi,hello,en').rows[0]
 * // { line: 2, value: { input: 'hi', expected: 'hello', metadata: { lang: 'en' } } }
 */
export function parseCsv(text: string): RowParseResult {
  let records: CsvRecord[];
  try {
    records = parse(text.replace(/\r\n/g, '\n'), { info: true, raw: true, relax_column_count: true, skip_empty_lines: true, bom: true }) as unknown as CsvRecord[];
  } catch (e) {
    if (e instanceof CsvError) return { rows: [], errors: [csvSyntaxError(e)] };
    throw e;
  }
  const [head, ...body] = records;
  if (head === undefined) return { rows: [], errors: [] };
  const header = head.record.map((name) => name.trim());
  const headerLine = recordStartLine(head.info.lines, head.raw);
  const headerErrors = checkHeader(header, headerLine);
  if (headerErrors.length > 0) return { rows: [], errors: headerErrors };

  const rows: RawRow[] = [];
  const errors: RowError[] = [];
  for (const { record, info, raw } of body) {
    const line = recordStartLine(info.lines, raw);
    if (record.length !== header.length) {
      errors.push({ line, message: `row has ${record.length} cells but the header has ${header.length} columns` });
      continue;
    }
    const built = buildRow(header, record, line);
    if (built.errors.length > 0) errors.push(...built.errors);
    else rows.push({ line, value: built.value, ...(built.columns.size > 0 ? { columns: built.columns } : {}) });
  }
  return { rows, errors };
}

interface CsvRecord {
  readonly record: string[];
  readonly info: { readonly lines: number };
  readonly raw: string;
}

const WHOLE = new Set(['id', 'input', 'expected', 'metadata', 'slices', 'source']);
const AS_TEXT = new Set(['id', 'slices', 'source']);
const NESTABLE = new Set(['input', 'expected', 'metadata']);

function checkHeader(header: readonly string[], line: number): RowError[] {
  const errors: RowError[] = [];
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === '') errors.push({ line, message: `header column ${i + 1} has no name` });
    else if (seen.has(name)) errors.push({ line, field: name, message: `duplicate column "${name}" in the header` });
    seen.add(name);
  });
  errors.push(...checkConversationHeader(header, line));
  return errors;
}

/** Whole-field columns first, then dotted and extra columns, so column order never changes the result. */
function buildRow(header: readonly string[], record: readonly string[], line: number): { value: Record<string, unknown>; errors: RowError[]; columns: ReadonlyMap<string, string> } {
  const value: Record<string, unknown> = {};
  const conversation = csvConversation(header, record, line, cellValue);
  const errors: RowError[] = [...conversation.errors];
  Object.assign(value, conversation.fields);
  const later: Array<readonly [string, string]> = [];
  header.forEach((column, i) => {
    const cell = record[i] as string;
    if (cell === '' || isConversationColumn(column)) return;
    if (WHOLE.has(column)) value[column] = AS_TEXT.has(column) ? cell.trim() : cellValue(cell);
    else later.push([column, cell]);
  });
  for (const [column, cell] of later) {
    const dot = column.indexOf('.');
    const root = dot > 0 ? column.slice(0, dot) : '';
    const path = NESTABLE.has(root) ? [root, ...column.slice(dot + 1).split('.')] : ['metadata', column];
    const problem = setPath(value, path, cellValue(cell));
    if (problem !== undefined) errors.push({ line, field: column, message: problem });
  }
  return { value, errors, columns: conversation.columns };
}

/** JSON for cells that look like a JSON object or array and parse as one; the text otherwise. */
function cellValue(cell: string): unknown {
  const t = cell.trim();
  const looksJson = (t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'));
  if (!looksJson) return cell;
  try {
    return JSON.parse(t);
  } catch {
    return cell;
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], leaf: unknown): string | undefined {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    if (key === '') return `column "${path.join('.')}" has an empty path segment`;
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (next === undefined) {
      const created: Record<string, unknown> = {};
      setOwn(node, key, created);
      node = created;
    } else if (next !== null && typeof next === 'object' && !Array.isArray(next)) {
      node = next as Record<string, unknown>;
    } else {
      return `"${path.slice(0, i + 1).join('.')}" is not an object, so column "${path.join('.')}" cannot add to it`;
    }
  }
  const last = path[path.length - 1] as string;
  if (last === '') return `column "${path.join('.')}" has an empty path segment`;
  setOwn(node, last, leaf);
  return undefined;
}

/** Own data property even for "__proto__", so a column name can never reach a prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** csv-parse reports the line where a record ends; its raw text (with skipped blank lines) gives the start. */
function recordStartLine(endLine: number, raw: string): number {
  const body = raw.replace(/^\n+/, '').replace(/\n$/, '');
  let newlines = 0;
  for (let i = 0; i < body.length; i++) if (body.charCodeAt(i) === 0x0a) newlines++;
  return endLine - newlines;
}

function csvSyntaxError(e: CsvError): RowError {
  const detail = e as CsvError & { lines?: number; raw?: string };
  const lines = typeof detail.lines === 'number' ? detail.lines : 1;
  if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
    const line = typeof detail.raw === 'string' ? recordStartLine(lines, detail.raw) : lines;
    return { line, message: 'CSV syntax error: a quoted cell in this row is never closed' };
  }
  return { line: lines, message: `CSV syntax error: ${e.message.replace(/ at line \d+/, '')}` };
}
