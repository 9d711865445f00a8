import { openPostgres } from '../../src/store/postgres/open-postgres.js';
import { TEST_PG_URL, useTestPostgres } from '../support/test-postgres.js';
import { spanSliceAttributesMigrationSuite } from './span-slice-attributes-migration.js';

const { newSchema } = useTestPostgres('evalops_migration_026');

spanSliceAttributesMigrationSuite('PostgreSQL', async () => {
  const schema = newSchema();
  const db = await openPostgres(TEST_PG_URL, { schema });
  return { db, schema, dialect: 'postgres', close: () => db.destroy() };
});
