import type BetterSqlite3 from 'better-sqlite3';

/** One stored example row, its JSON columns already serialised (DatasetRepository.saveVersion). */
export interface ExampleRow {
  readonly version_id: string;
  readonly id: string;
  readonly position: number;
  readonly input: string;
  readonly expected: string | null;
  readonly metadata: string;
  readonly slices: string;
  readonly source: string;
  readonly conversation: string | null;
}

/** Inserts example rows on the connection the caller's transaction is open on. */
export type ExampleRowsWriter = (rows: readonly ExampleRow[]) => void;

/**
 * The SQLite writer of a dataset version's examples: one statement prepared once and run per row,
 * where Kysely builds, compiles and prepares a new 400-row INSERT for every batch (a tenth of an
 * offline run of 10,000 examples). It opens no transaction of its own: saveVersion calls it inside
 * its Kysely transaction, on the same better-sqlite3 connection, so a failure still stores nothing.
 */
export function sqliteExampleWriter(sqlite: BetterSqlite3.Database): ExampleRowsWriter {
  // Prepared on first use: the store is opened (and creates the tables) after this writer is made.
  let insert: BetterSqlite3.Statement | undefined;
  return (rows) => {
    insert ??= sqlite.prepare('INSERT INTO examples (version_id, id, position, input, expected, metadata, slices, source, conversation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const r of rows) insert.run(r.version_id, r.id, r.position, r.input, r.expected, r.metadata, r.slices, r.source, r.conversation);
  };
}
