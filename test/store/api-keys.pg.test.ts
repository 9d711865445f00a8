import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { describeApiKeysContract } from './api-keys-contract.js';

/**
 * The API key contract on a real PostgreSQL: EVALOPS_TEST_PG_URL, default the local server of
 * DESIGN.md (postgres://postgres@127.0.0.1:5432/test). An unreachable server fails the suite; it is
 * never skipped silently. Each database the contract asks for is a fresh schema, dropped at the end.
 */
const url = process.env['EVALOPS_TEST_PG_URL'] || 'postgres://postgres@127.0.0.1:5432/test';
const run = `evalops_keys_${process.pid}_${Date.now().toString(36)}`;
const schemas: string[] = [];

describe('PostgreSQL test database', () => {
  it('is reachable', async () => {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query('select 1 as ok');
    await client.end();
    expect(rows[0].ok).toBe(1);
  });
});

describeApiKeysContract(
  'postgres',
  async (options = {}) => {
    const schema = `${run}_${schemas.length + 1}`;
    schemas.push(schema);
    return { store: await openStore(url, { ...options, schema }), shared: { url, schema } };
  },
  { processes: true },
);

afterAll(async () => {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
});
