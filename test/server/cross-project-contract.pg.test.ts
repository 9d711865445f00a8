import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL, useTestPostgres } from '../support/test-postgres.js';
import { crossProjectContract } from './cross-project-contract.js';

/** The cross-project contract on PostgreSQL, in a fresh schema. */
const pg = useTestPostgres('tenancy');
crossProjectContract('PostgreSQL', 'postgres', () => openStore(TEST_PG_URL, { schema: pg.newSchema() }));
