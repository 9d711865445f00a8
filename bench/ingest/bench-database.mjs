/**
 * The databases the ingest bench runs on: a fresh SQLite file, or a fresh PostgreSQL database created
 * for the run and dropped after it; and the count of stored spans, read straight from the database
 * (better-sqlite3 read-only, or a pg client), to check that every acknowledged span is there.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

/** A fresh SQLite file under `dir`. */
export function sqliteDatabase(dir) {
  const path = join(dir, 'ingest-bench.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  return {
    label: 'SQLite',
    url: `sqlite:${path}`,
    async countSpans(project) {
      const db = new Database(path, { readonly: true, fileMustExist: true });
      try {
        return db.prepare('select count(*) as n from spans s join projects p on p.id = s.project_id where p.name = ?').get(project).n;
      } finally {
        db.close();
      }
    },
    async drop() {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    },
  };
}

/**
 * A fresh PostgreSQL database `evalops_ingest_bench_<pid>` on the server of `adminUrl` (a URL of a
 * database to connect to for CREATE/DROP DATABASE; default the local `postgres` database).
 */
export async function postgresDatabase(adminUrl = process.env.EVALOPS_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres') {
  const name = `evalops_ingest_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    label: 'PostgreSQL',
    url: url.toString(),
    async countSpans(project) {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        const r = await client.query('select count(*)::int as n from spans s join projects p on p.id = s.project_id where p.name = $1', [project]);
        return r.rows[0].n;
      } finally {
        await client.end();
      }
    },
    async serverVersion() {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        const r = await client.query("select current_setting('server_version') as v, current_setting('synchronous_commit') as sc, current_setting('fsync') as fs");
        return r.rows[0];
      } finally {
        await client.end();
      }
    },
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
