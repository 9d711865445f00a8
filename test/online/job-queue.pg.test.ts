import { afterAll } from 'vitest';
import { PgBossJobQueue } from '../../src/online/pg-boss-job-queue.js';
import { pgQuery, TEST_PG_URL, useTestPostgres } from '../support/test-postgres.js';
import { jobQueueContract } from './job-queue-contract.js';

const { newSchema } = useTestPostgres('evalops_jobs');
const bossSchemas: string[] = [];
afterAll(async () => {
  for (const s of bossSchemas) await pgQuery(`drop schema if exists "${s}" cascade`);
});

jobQueueContract('pg-boss (PostgreSQL)', async (options) => {
  const schema = `${newSchema()}_pgboss`;
  bossSchemas.push(schema);
  return new PgBossJobQueue({ url: TEST_PG_URL, schema, queue: 'test', ...options });
});
