import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL as url, useTestPostgres } from '../support/test-postgres.js';
import { describeStoreContract } from './store-contract.js';

/** The store contract on a real PostgreSQL, in a fresh schema dropped at the end. */
const schema = useTestPostgres('evalops_test').newSchema();

describeStoreContract('postgres', () => openStore(url, { schema }));
