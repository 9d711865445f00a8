import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/store/sqlite/open-sqlite.js';
import { reviewLeasesMigrationSuite } from './review-leases-migration.js';

reviewLeasesMigrationSuite('SQLite', async () => {
  const db = await openSqlite(join(mkdtempSync(join(tmpdir(), 'evalops-migration-018-')), 'db.sqlite'));
  return { db, close: () => db.destroy() };
});
