import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL as url, useTestPostgres } from '../support/test-postgres.js';
import { describeResultFilterContract } from './result-filter-contract.js';

const pg = useTestPostgres('evalops_result_filter');

describeResultFilterContract('postgres', () => openStore(url, { schema: pg.newSchema() }));
