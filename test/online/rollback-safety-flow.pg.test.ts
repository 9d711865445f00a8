import { afterAll } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { pgQuery, TEST_PG_URL, useTestPostgres } from '../support/test-postgres.js';
import { rollbackSafetySuite } from './rollback-safety-flow.js';

const { newSchema } = useTestPostgres('evalops_rollback_safety');
const schema = newSchema();
afterAll(async () => {
  await pgQuery(`drop schema if exists "${schema}_pgboss" cascade`);
});

rollbackSafetySuite('PostgreSQL', () => openStore(TEST_PG_URL, { schema }));
