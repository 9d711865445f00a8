import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL, useTestPostgres } from '../support/test-postgres.js';
import { tracesQueryContract } from './traces-query-contract.js';

/** Trace filters, paging and sessions through the API on PostgreSQL (jsonb attribute filters). */
const pg = useTestPostgres('traces_query');
tracesQueryContract('PostgreSQL', () => openStore(TEST_PG_URL, { schema: pg.newSchema() }));
