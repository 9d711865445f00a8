import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL as url, useTestPostgres } from '../support/test-postgres.js';
import { describeConversationExamplesContract } from './conversation-examples-contract.js';

/** The conversation-examples contract on a real PostgreSQL, in a fresh schema dropped at the end. */
const schema = useTestPostgres('evalops_conv').newSchema();

describeConversationExamplesContract('postgres', () => openStore(url, { schema }));
