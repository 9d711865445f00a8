import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL as url, useTestPostgres } from '../support/test-postgres.js';
import { describeWebSessionContract } from './web-sessions-contract.js';

/** The web session contract on a real PostgreSQL, a fresh schema per test; a second pool stands for another replica. */
const { newSchema } = useTestPostgres('evalops_web_sessions');

describeWebSessionContract('postgres', () => {
  const schema = newSchema();
  return { open: (now) => openStore(url, { schema, now }), again: (now) => openStore(url, { schema, now }) };
});
