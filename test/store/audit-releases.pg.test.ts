import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { describeAuditContract } from './audit-contract.js';
import { describeReleasesContract } from './releases-contract.js';

/**
 * The audit log and release contracts on a real PostgreSQL: EVALOPS_TEST_PG_URL, default the local
 * server of DESIGN.md (postgres://postgres@127.0.0.1:5432/test). An unreachable server fails the
 * suite; it is never skipped silently. A fresh schema per run, dropped at the end.
 */
const url = process.env['EVALOPS_TEST_PG_URL'] || 'postgres://postgres@127.0.0.1:5432/test';
const schema = `evalops_audit_${process.pid}_${Date.now().toString(36)}`;

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

describeAuditContract('postgres', () => openStore(url, { schema }), { url, schema });
describeReleasesContract('postgres', () => openStore(url, { schema }));

afterAll(async () => {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
});
