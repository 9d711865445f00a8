import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { describeStoreContract } from './store-contract.js';

/** Runs against a real PostgreSQL; .ci/run sets EVALOPS_TEST_PG_URL. A fresh schema per run. */
const url = process.env['EVALOPS_TEST_PG_URL'];

describe('PostgreSQL test database', () => {
  it('is configured (set EVALOPS_TEST_PG_URL, e.g. postgres://postgres@127.0.0.1:5432/test)', () => {
    expect(url, 'EVALOPS_TEST_PG_URL is not set: the PostgreSQL suite cannot run').toBeTruthy();
  });
});

if (url) {
  const schema = `evalops_test_${process.pid}_${Date.now().toString(36)}`;
  describeStoreContract('postgres', () => openStore(url, { schema }));
  afterAll(async () => {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });
}
