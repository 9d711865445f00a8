import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL as url, useTestPostgres } from '../support/test-postgres.js';
import { describeReviewContract } from './review-contract.js';

/** The review contract on a real PostgreSQL (a pool: the parallel calls really run at once). */
const schema = useTestPostgres('evalops_review').newSchema();

describeReviewContract('postgres', () => openStore(url, { schema }));
