import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL as url, useTestPostgres } from '../support/test-postgres.js';
import { describeApiKeysContract } from './api-keys-contract.js';

/** The API key contract on a real PostgreSQL; each database the contract asks for is a fresh schema. */
const pg = useTestPostgres('evalops_keys');

describeApiKeysContract(
  'postgres',
  async (options = {}) => {
    const schema = pg.newSchema();
    return { store: await openStore(url, { ...options, schema }), shared: { url, schema } };
  },
  { processes: true },
);
