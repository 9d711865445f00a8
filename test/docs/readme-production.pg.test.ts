import { afterAll } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { pgQuery, TEST_PG_URL, useTestPostgres } from '../support/test-postgres.js';
import { readmeProductionSuite } from './readme-production.js';

/** The README's production walkthrough, verbatim, on PostgreSQL (`evalops worker` in its own process). */
const schema = useTestPostgres('evalops_readme').newSchema();
afterAll(async () => {
  await pgQuery(`drop schema if exists "${schema}_pgboss" cascade`);
});

readmeProductionSuite(() => ({ name: 'postgres', env: { EVALOPS_DATABASE_URL: TEST_PG_URL, EVALOPS_DATABASE_SCHEMA: schema }, openStore: () => openStore(TEST_PG_URL, { schema }) }));
