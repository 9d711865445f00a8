import { examplesList } from './examples-list.js';
import { parseJsonWithLines } from './parse-json-with-lines.js';
import type { RowParseResult } from './raw-row.js';

/**
 * A JSON dataset file: a top-level array of examples, or `{ "examples": [...] }`. Each row carries the
 * line where its element starts; a syntax error is reported at its line.
 * @example parseJson('[\n {"input": "hi"}\n]').rows // [{ line: 2, value: { input: 'hi' } }]
 */
export function parseJson(text: string): RowParseResult {
  const parsed = parseJsonWithLines(text);
  if (!parsed.ok) return { rows: [], errors: [{ line: parsed.line, message: `not valid JSON: ${parsed.message}` }] };
  const list = examplesList(parsed.value);
  if (!list.ok) return { rows: [], errors: [{ line: firstContentLine(text), message: list.message }] };
  const lines = parsed.elementLines.get(list.items) ?? [];
  return { rows: list.items.map((value, i) => ({ line: lines[i] ?? 1, value })), errors: [] };
}

function firstContentLine(text: string): number {
  const start = text.search(/\S/);
  let line = 1;
  for (let i = 0; i < start; i++) if (text.charCodeAt(i) === 0x0a) line++;
  return line;
}
