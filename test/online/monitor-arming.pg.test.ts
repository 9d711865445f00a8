import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL, useTestPostgres } from '../support/test-postgres.js';
import { monitorArmingSuite } from './monitor-arming.js';

const { newSchema } = useTestPostgres('evalops_arming');
const schema = newSchema();

monitorArmingSuite('PostgreSQL', () => openStore(TEST_PG_URL, { schema }));
