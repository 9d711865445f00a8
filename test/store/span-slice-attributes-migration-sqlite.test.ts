import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/store/sqlite/open-sqlite.js';
import { spanSliceAttributesMigrationSuite } from './span-slice-attributes-migration.js';

spanSliceAttributesMigrationSuite('SQLite', async () => {
  const db = await openSqlite(join(mkdtempSync(join(tmpdir(), 'evalops-migration-026-')), 'db.sqlite'));
  return { db, dialect: 'sqlite', close: () => db.destroy() };
});
