import { afterAll } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { pgQuery, TEST_PG_URL, useTestPostgres } from '../support/test-postgres.js';
import { sessionReadinessSuite } from './session-readiness.js';

const { newSchema } = useTestPostgres('evalops_sessions');
const schema = newSchema();
afterAll(async () => {
  await pgQuery(`drop schema if exists "${schema}_pgboss" cascade`);
});

sessionReadinessSuite('PostgreSQL', () => openStore(TEST_PG_URL, { schema }));
