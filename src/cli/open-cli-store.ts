import { join } from 'node:path';
import { loadEnv } from '../config/env.js';
import { openStore, type Store } from '../store/store.js';

/**
 * The store the CLI uses: EVALOPS_DATABASE_URL when set (`sqlite:PATH` or `postgres://…`), else the
 * embedded SQLite file `.evalops/evalops.db` in the working directory.
 */
export async function openCliStore(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Promise<Store> {
  const database = loadEnv(env).database;
  if (database?.dialect === 'postgres') {
    // EVALOPS_DATABASE_SCHEMA: a PostgreSQL schema of its own (tests, or several instances on one database).
    const schema = env['EVALOPS_DATABASE_SCHEMA']?.trim();
    return openStore(database.url, schema ? { schema } : {});
  }
  return openStore(`sqlite:${database?.path ?? join(cwd, '.evalops', 'evalops.db')}`);
}
