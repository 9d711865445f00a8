import { openPostgres } from '../../src/store/postgres/open-postgres.js';
import { TEST_PG_URL, useTestPostgres } from '../support/test-postgres.js';
import { reviewLeasesMigrationSuite } from './review-leases-migration.js';

const { newSchema } = useTestPostgres('evalops_migration_018');

reviewLeasesMigrationSuite('PostgreSQL', async () => {
  const schema = newSchema();
  const db = await openPostgres(TEST_PG_URL, { schema });
  return { db, schema, close: () => db.destroy() };
});
