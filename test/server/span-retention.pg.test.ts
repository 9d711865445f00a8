import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL, useTestPostgres } from '../support/test-postgres.js';
import { spanRetentionContract } from './span-retention-contract.js';

/** Span retention on PostgreSQL: day partitions dropped, the default partition's rows deleted. */
const pg = useTestPostgres('span_retention');
spanRetentionContract('PostgreSQL', () => openStore(TEST_PG_URL, { schema: pg.newSchema() }));
