/**
 * Migration 018 (review leases) on a database that already holds a review queue with an open
 * assignment (made by the migrations before 018): the queue gets the default 30-minute lease, and
 * the skips table starts empty. Run on SQLite and PostgreSQL.
 */
import { type Kysely, type Migration } from 'kysely';
import { applyMigrations } from './apply-migrations.js';
import { describe, expect, it } from 'vitest';
import { migrationProvider } from '../../src/store/migrations/migrations.js';

type Open = () => Promise<{ db: Kysely<any>; schema?: string; close: () => Promise<void> }>;

export function reviewLeasesMigrationSuite(name: string, open: Open): void {
  describe(`migration 018-review-leases on ${name}`, () => {
    it('gives existing queues a 30-minute lease and keeps their open assignments', async () => {
      const { db, schema, close } = await open();
      try {
        const all = await migrationProvider.getMigrations();
        const migrate = (migrations: Record<string, Migration>) => applyMigrations(db, migrations, schema);
        await migrate(Object.fromEntries(Object.entries(all).filter(([k]) => k < '018')));
        const at = new Date().toISOString();
        await db.insertInto('projects').values({ id: 'prj_1', name: 'shop', created_at: at }).execute();
        await db.insertInto('review_queues').values({ id: 'rq_1', project_id: 'prj_1', name: 'q', metric: 'm', rubric: '{"labels":[{"label":"a"},{"label":"b"}],"pass":["b"],"ordinal":false}', reviewers: '[]', reviewers_per_item: 1, created_by: 't', created_at: at }).execute();
        await db.insertInto('review_items').values({ id: 'ri_1', queue_id: 'rq_1', project_id: 'prj_1', item_key: 'k', source: 'result', run_id: null, example_id: 'e', trace_id: null, reason: 'manual', payload: '{"input":1,"output":2}', position: 0, assigned: 1, labelled: 0, truth: null, truth_by: null, created_at: at }).execute();
        await db.insertInto('review_assignments').values({ item_id: 'ri_1', queue_id: 'rq_1', reviewer: 'ann', assigned_at: at, labelled_at: null }).execute();

        await migrate(all);

        expect(await db.selectFrom('review_queues').select(['id', 'lease_minutes']).execute()).toEqual([{ id: 'rq_1', lease_minutes: 30 }]);
        expect(await db.selectFrom('review_assignments').select(['item_id', 'reviewer']).execute()).toEqual([{ item_id: 'ri_1', reviewer: 'ann' }]);
        expect(await db.selectFrom('review_skips').selectAll().execute()).toEqual([]);
      } finally {
        await close();
      }
    });
  });
}
