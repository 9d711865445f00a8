import { afterAll, describe, expect, it } from 'vitest';

/**
 * The PostgreSQL the suites run against: EVALOPS_TEST_PG_URL, default the local server of DESIGN.md
 * (postgres://postgres@127.0.0.1:5432/test). An unreachable server fails the suite — it is never
 * skipped silently — and every schema handed out is dropped at the end of the file.
 */
export const TEST_PG_URL = process.env['EVALOPS_TEST_PG_URL'] || 'postgres://postgres@127.0.0.1:5432/test';

export async function pgQuery(text: string, url: string = TEST_PG_URL): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Registers the reachability test and the clean-up; returns a maker of fresh schema names. */
export function useTestPostgres(prefix: string): { newSchema: () => string } {
  const run = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const schemas: string[] = [];
  describe('PostgreSQL test database', () => {
    it('is reachable', async () => {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      const { rows } = await client.query('select 1 as ok');
      await client.end();
      expect(rows[0].ok).toBe(1);
    });
  });
  afterAll(async () => {
    for (const schema of schemas) await pgQuery(`drop schema if exists "${schema}" cascade`);
  });
  return {
    newSchema: () => {
      const schema = `${run}_${schemas.length + 1}`;
      schemas.push(schema);
      return schema;
    },
  };
}
