import type { RawRow, RowError, RowParseResult } from './raw-row.js';

/**
 * JSON Lines: one JSON value per line; blank lines are skipped. A line that is not JSON becomes a row
 * error at that line; the rest of the file is still read, so every bad line is reported at once.
 * @example parseJsonl('{"input":"hi"}\n\n{"input":"yo"}').rows.map((r) => r.line) // [1, 3]
 */
export function parseJsonl(text: string): RowParseResult {
  const rows: RawRow[] = [];
  const errors: RowError[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    try {
      rows.push({ line: i + 1, value: JSON.parse(line) });
    } catch (e) {
      errors.push({ line: i + 1, message: `not valid JSON: ${(e as Error).message}` });
    }
  }
  return { rows, errors };
}
