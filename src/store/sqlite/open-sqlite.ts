import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../database.js';

const PAGE_SIZE = 16_384;

/**
 * The embedded default: one SQLite file through better-sqlite3, in WAL mode with NORMAL sync (durable
 * across process crashes; a power loss may lose the last transactions). `:memory:` works for tests.
 * A new file gets 16 KiB pages (SQLite's default is 4 KiB): span rows are about 2 KB, and ingest
 * commits write every page they touch to the WAL, so larger pages mean far fewer frames per commit
 * (bench/RESULTS.md §6). An existing file keeps its page size.
 */
export async function openSqlite(path: string): Promise<Kysely<Database>> {
  return (await openSqliteConnection(path)).db;
}

/** openSqlite, also handing back the better-sqlite3 connection under Kysely (for the column readers). */
export async function openSqliteConnection(path: string): Promise<{ db: Kysely<Database>; sqlite: BetterSqlite3.Database }> {
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  // Only takes effect on a file with no tables yet, and must come before WAL mode is set.
  sqlite.pragma(`page_size = ${PAGE_SIZE}`);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }), sqlite };
}
