import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL, useTestPostgres } from '../support/test-postgres.js';
import { ingestContract } from './ingest-contract.js';

/** The ingest integration suite on PostgreSQL, in a fresh schema. */
const pg = useTestPostgres('ingest');
ingestContract('PostgreSQL', () => openStore(TEST_PG_URL, { schema: pg.newSchema() }));
