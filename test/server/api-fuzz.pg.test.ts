import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL, useTestPostgres } from '../support/test-postgres.js';
import { apiFuzzContract } from './api-fuzz-contract.js';

/** The JSON API fuzz test on PostgreSQL, in a fresh schema. */
const pg = useTestPostgres('fuzz');
apiFuzzContract('PostgreSQL', () => openStore(TEST_PG_URL, { schema: pg.newSchema() }));
