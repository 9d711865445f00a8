import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL as url, useTestPostgres } from '../support/test-postgres.js';
import { describeSessionTracesContract } from './session-traces-contract.js';

const { newSchema } = useTestPostgres('evalops_session_traces');

describeSessionTracesContract('postgres', () => openStore(url, { schema: newSchema() }));
