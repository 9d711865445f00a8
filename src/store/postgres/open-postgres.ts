import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../database.js';

export interface PostgresOptions {
  /** Schema to use (created if missing); tests use one per suite. Default: the server's search_path. */
  readonly schema?: string;
  readonly maxConnections?: number;
}

/** PostgreSQL for teams that outgrow one machine; several processes may share one database. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Kysely<Database>> {
  const { default: pg } = await import('pg');
  // NUMERIC/BIGINT come back as strings by default; our numeric columns are double precision and
  // integer, and COUNT(*) is bigint: parse it as a JS number (counts stay far below 2^53).
  pg.types.setTypeParser(20, (v: string) => Number(v));
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    // Idle connections stay open 5 minutes (pg's default is 10 s): a new connection plans its first
    // queries over the day partitions of spans with cold catalog caches, 100–200 ms each on a loaded
    // machine against a few ms once warm (bench/RESULTS.md, PostgreSQL at scale).
    idleTimeoutMillis: 300_000,
    ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
  });
  if (options.schema) {
    const client = await pool.connect();
    try {
      await client.query(`create schema if not exists ${quoteIdent(options.schema)}`);
    } catch (e) {
      // Replicas starting together race on CREATE SCHEMA IF NOT EXISTS, which is not atomic in
      // PostgreSQL: the loser gets a unique violation on pg_namespace although the schema now exists.
      if ((e as { code?: string }).code !== '23505' && (e as { code?: string }).code !== '42P06') throw e;
    } finally {
      client.release();
    }
  }
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new TypeError(`invalid schema name "${name}"`);
  return `"${name}"`;
}
