import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL as url, useTestPostgres } from '../support/test-postgres.js';
import { describeWebhookContract } from './webhooks-contract.js';

/** The webhook contract on a real PostgreSQL, a fresh schema per test; the concurrent claims come from three pools. */
const { newSchema } = useTestPostgres('evalops_webhooks');

describeWebhookContract('postgres', async () => {
  const schema = newSchema();
  return { store: await openStore(url, { schema }), another: () => openStore(url, { schema }) };
});
