import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL, useTestPostgres } from '../support/test-postgres.js';
import { coverageContract } from './coverage-contract.js';

/** The coverage suite on PostgreSQL, in a fresh schema. */
const pg = useTestPostgres('coverage');
coverageContract('PostgreSQL', () => openStore(TEST_PG_URL, { schema: pg.newSchema() }));
