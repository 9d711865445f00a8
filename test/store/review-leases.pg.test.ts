import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL as url, useTestPostgres } from '../support/test-postgres.js';
import { describeReviewLeasesContract } from './review-leases-contract.js';

/** The lease contract on a real PostgreSQL (a pool: the parallel calls really run at once). */
const schema = useTestPostgres('evalops_review_leases').newSchema();

describeReviewLeasesContract('postgres', (now) => openStore(url, { schema, now }));
