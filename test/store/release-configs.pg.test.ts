import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL as url, useTestPostgres } from '../support/test-postgres.js';
import { describeReleaseConfigsContract } from './release-configs-contract.js';

/** The release-config contract on a real PostgreSQL, in a fresh schema dropped at the end. */
const schema = useTestPostgres('evalops_configs').newSchema();

describeReleaseConfigsContract('postgres', () => openStore(url, { schema }));
