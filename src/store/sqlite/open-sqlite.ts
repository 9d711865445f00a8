import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../database.js';

/**
 * The embedded default: one SQLite file through better-sqlite3, in WAL mode with NORMAL sync (durable
 * across process crashes; a power loss may lose the last transactions). `:memory:` works for tests.
 */
export async function openSqlite(path: string): Promise<Kysely<Database>> {
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}
