import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL as url, useTestPostgres } from '../support/test-postgres.js';
import { describeAuditContract } from './audit-contract.js';
import { describeReleasesContract } from './releases-contract.js';

/** The audit log and release contracts on a real PostgreSQL, in a fresh schema dropped at the end. */
const schema = useTestPostgres('evalops_audit').newSchema();

describeAuditContract('postgres', () => openStore(url, { schema }), { url, schema });
describeReleasesContract('postgres', () => openStore(url, { schema }));
