/**
 * What a format parser hands to normalisation: rows as plain values with the 1-based line where each
 * starts, and the syntax errors it met. Parsers know formats, not examples: checking that a row is an
 * object with valid fields is normalisation's job.
 */
export interface RawRow {
  /** 1-based line of the file where the row starts. */
  readonly line: number;
  readonly value: unknown;
  /** Field path → where it came from in the file (a CSV column: `column 4 "turn.2"`), for error messages. */
  readonly columns?: ReadonlyMap<string, string>;
}

/** One problem with one row (or with the file's syntax at that line). */
export interface RowError {
  readonly line: number;
  /** Field path inside the row, e.g. "metadata.lang", when the problem is one field. */
  readonly field?: string;
  /** Complete on its own: it names the field it is about. */
  readonly message: string;
}

export interface RowParseResult {
  readonly rows: readonly RawRow[];
  readonly errors: readonly RowError[];
}
