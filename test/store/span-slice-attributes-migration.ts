/**
 * Migration 026 (span slice attributes) on a database that already holds spans (made by the
 * migrations before 026): spans with `evalops.slice.*` attributes get them in the new column, others
 * keep null, and coverage reads the old spans like new ones — a boolean as "true" on both databases.
 * Run on SQLite and PostgreSQL.
 */
import { type Kysely, type Migration } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrationProvider } from '../../src/store/migrations/migrations.js';
import { traceSliceGroups } from '../../src/store/coverage-queries.js';
import { applyMigrations } from './apply-migrations.js';

type Open = () => Promise<{ db: Kysely<any>; schema?: string; dialect: 'sqlite' | 'postgres'; close: () => Promise<void> }>;

export function spanSliceAttributesMigrationSuite(name: string, open: Open): void {
  describe(`migration 026-span-slice-attributes on ${name}`, () => {
    it('fills the slice attributes of existing spans, and coverage reads them', async () => {
      const { db, schema, dialect, close } = await open();
      try {
        const all = await migrationProvider.getMigrations();
        const migrate = (migrations: Record<string, Migration>) => applyMigrations(db, migrations, schema);
        await migrate(Object.fromEntries(Object.entries(all).filter(([k]) => k < '026')));
        const at = new Date().toISOString();
        const now = Date.now();
        await db.insertInto('projects').values({ id: 'prj_1', name: 'shop', created_at: at }).execute();
        const span = (traceId: string, spanId: string, attributes: Record<string, unknown>) => {
          const document = JSON.stringify({ traceId, spanId, name: 'agent', kind: 'agent', status: 'ok', startTimeMs: now - 1000, endTimeMs: now, durationMs: 1000, attributes, usage: {}, events: [] });
          return { project_id: 'prj_1', trace_id: traceId, span_id: spanId, parent_span_id: null, name: 'agent', kind: 'agent', status: 'ok', start_time_ms: now - 1000, end_time_ms: now, duration_ms: 1000, document, received_at: at };
        };
        await db
          .insertInto('spans')
          .values([
            span('t1', 's1', { 'evalops.slice.lang': 'es', 'evalops.slice.intent': 'refund', 'http.route': '/chat' }),
            span('t2', 's2', { 'evalops.slice.vip': true, 'evalops.slice.tier': 2 }),
            span('t3', 's3', { 'app.other': 'evalops.slice.lang' }),
          ])
          .execute();
        // More than one backfill batch of spans.
        for (let b = 0; b < 9; b++) {
          await db
            .insertInto('spans')
            .values(Array.from({ length: 500 }, (_, i) => span(`bulk-${b}-${i}`, 'root', { 'evalops.slice.bulk': 'yes' })))
            .execute();
        }

        await migrate(all);

        const bulk = await db.selectFrom('spans').select(['slice_attributes']).where('trace_id', 'like', 'bulk-%').execute();
        expect(bulk.length).toBe(4_500);
        expect(bulk.every((r) => r.slice_attributes === '{"evalops.slice.bulk":"yes"}' || JSON.stringify(JSON.parse(r.slice_attributes)) === '{"evalops.slice.bulk":"yes"}')).toBe(true);
        const rows = await db.selectFrom('spans').select(['trace_id', 'slice_attributes']).where('trace_id', 'not like', 'bulk-%').orderBy('trace_id').execute();
        expect(rows.map((r) => [r.trace_id, r.slice_attributes === null ? null : JSON.parse(r.slice_attributes)])).toEqual([
          ['t1', { 'evalops.slice.intent': 'refund', 'evalops.slice.lang': 'es' }],
          ['t2', { 'evalops.slice.tier': 2, 'evalops.slice.vip': true }],
          ['t3', null],
        ]);
        const { total, groups } = await traceSliceGroups(db, dialect, 'prj_1', { fromMs: now - 86_400_000, toMs: now + 1 }, []);
        expect(total).toBe(4_503);
        expect(groups.map((g) => g.attributes).sort()).toEqual([
          [['evalops.slice.bulk', 'yes']],
          [
            ['evalops.slice.intent', 'refund'],
            ['evalops.slice.lang', 'es'],
          ],
          [
            ['evalops.slice.tier', '2'],
            ['evalops.slice.vip', 'true'],
          ],
        ]);
      } finally {
        await close();
      }
    });
  });
}
