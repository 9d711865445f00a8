import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL as url, useTestPostgres } from '../support/test-postgres.js';
import { describeReviewLeasesApi } from './review-leases-api-contract.js';

/** On PostgreSQL the concurrent `next` requests really run at once (a pool of connections). */
const schema = useTestPostgres('evalops_review_leases_api').newSchema();

describeReviewLeasesApi('postgres', (now) => openStore(url, { schema, now }));
