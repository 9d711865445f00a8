import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL as url, useTestPostgres } from '../support/test-postgres.js';
import { describeRunsWithExampleContract } from './runs-with-example-contract.js';

const pg = useTestPostgres('evalops_runs_with_example');

describeRunsWithExampleContract('postgres', () => openStore(url, { schema: pg.newSchema() }));
