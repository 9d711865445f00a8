import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL, useTestPostgres } from '../support/test-postgres.js';
import { describeResolveContract } from './resolve-contract.js';

/** Resolve on a real PostgreSQL with two servers, in a fresh schema dropped at the end. */
const schema = useTestPostgres('evalops_resolve').newSchema();

describeResolveContract('postgres', () => ({ env: { EVALOPS_DATABASE_URL: TEST_PG_URL, EVALOPS_DATABASE_SCHEMA: schema }, open: () => openStore(TEST_PG_URL, { schema }) }));
