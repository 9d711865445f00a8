import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { insertSpanRowsPostgres } from '../../src/store/postgres/insert-span-rows.js';
import { appendSpanRow, type SpanColumnValue } from '../../src/store/span-row.js';
import { openStore } from '../../src/store/store.js';
import { TEST_PG_URL as url, useTestPostgres } from '../support/test-postgres.js';
import { contractSpan, describeSpanRowSinkContract, spanIdOf } from './span-row-sink-contract.js';

const schemas = useTestPostgres('evalops_sink');
const schema = schemas.newSchema();

describeSpanRowSinkContract('PostgreSQL store (prepared multi-row inserts)', async () => {
  const store = await openStore(url, { schema });
  return { sink: store.spans, store, close: () => store.close() };
});

it('writes through named statements, each prepared once per connection, in statements of 512, 64, 8 and 1 rows', async () => {
  const store = await openStore(url, { schema: schemas.newSchema() });
  try {
    const projectId = (await store.projects.ensure('prepared')).id;
    const values: SpanColumnValue[] = [];
    for (let i = 0; i < 585; i++) appendSpanRow(values, { projectId, span: contractSpan('5af7651916cd43dd8448eb211c80319c', spanIdOf(i)) }, '2026-11-22T06:00:00.000Z');
    const prepared = await store.db.connection().execute(async (connection) => {
      expect(await insertSpanRowsPostgres(connection, [values.slice(0, 20 * 300), values.slice(20 * 300)])).toBe(585); // 512 + 64 + 8 + 1
      expect(await insertSpanRowsPostgres(connection, [values])).toBe(0); // the same statements again: bound, not prepared anew
      const { rows } = await sql<{ name: string }>`select name from pg_prepared_statements order by name`.execute(connection);
      return rows.map((r) => r.name);
    });
    expect(prepared).toEqual(['evalops_insert_spans_1', 'evalops_insert_spans_512', 'evalops_insert_spans_64', 'evalops_insert_spans_8']);
    expect(await store.spans.count(projectId)).toBe(585);
  } finally {
    await store.close();
  }
});

it('compresses span documents with lz4 (migration 006; the test server, like Debian\'s PostgreSQL 15, is built with lz4)', async () => {
  const store = await openStore(url, { schema });
  try {
    const { rows } = await sql<{ method: string }>`select attcompression as method from pg_attribute where attrelid = 'spans'::regclass and attname = 'document'`.execute(store.db);
    expect(rows).toEqual([{ method: 'l' }]);
  } finally {
    await store.close();
  }
});
