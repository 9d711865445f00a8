import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL as url, useTestPostgres } from '../support/test-postgres.js';
import { describeReleaseNamesContract } from './release-names-contract.js';

/** The release-name contract on a real PostgreSQL, in a fresh schema dropped at the end. */
const schema = useTestPostgres('evalops_names').newSchema();

describeReleaseNamesContract('postgres', () => openStore(url, { schema }));
