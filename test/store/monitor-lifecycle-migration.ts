/**
 * Migration 013 (monitor lifecycle) on a database that already holds monitors and alerts (made by
 * the migrations up to 011, then brought up with 012 and 013): it adds the lifecycle columns and
 * backfills how alerts resolved before it were resolved (by the monitor:
 * recovered; by a person: manual; unresolved: none). Run on SQLite and PostgreSQL.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { applyMigrations } from './apply-migrations.js';
import { describe, expect, it } from 'vitest';
import { migrationProvider } from '../../src/store/migrations/migrations.js';

type Open = () => Promise<{ db: Kysely<any>; schema?: string; close: () => Promise<void> }>;

export function monitorLifecycleMigrationSuite(name: string, open: Open): void {
  describe(`migration 013-monitor-lifecycle on ${name}`, () => {
    {
      it('adds the lifecycle columns and backfills resolved alerts on a database with monitors and alerts', async () => {
        const { db, schema, close } = await open();
        try {
          const all = await migrationProvider.getMigrations();
          const upTo = (last: string) => Object.fromEntries(Object.entries(all).filter(([k]) => k <= last));
          const migrate = (migrations: Record<string, Migration>) => applyMigrations(db, migrations, schema);
          await migrate(upTo('011-web-sessions'));
          const at = new Date().toISOString();
          await db.insertInto('projects').values({ id: 'prj_1', name: 'shop', created_at: at }).execute();
          await db.insertInto('monitors').values({ id: 'mon_1', project_id: 'prj_1', name: 'm', spec: '{"name":"m","rule":"r","metric":"x"}', enabled: 1, last_evaluation: null, evaluated_at: null, created_at: at, updated_at: at }).execute();
          const alert = (id: string, status: string, resolvedBy: string | null) => ({ id, project_id: 'prj_1', monitor_id: 'mon_1', rule_id: null, kind: 'monitor', dedupe_key: `k-${id}`, status, severity: 'page', title: 't', evidence: '{}', opened_at: at, acknowledged_by: null, acknowledged_at: null, acknowledgement: null, resolved_by: resolvedBy, resolved_at: resolvedBy ? at : null, resolution: null, updated_at: at });
          await db.insertInto('alerts').values([alert('a1', 'resolved', 'monitor:m'), alert('a2', 'resolved', 'sre@example.com'), alert('a3', 'open', null)]).execute();

          await migrate(all);

          const rows = await db.selectFrom('alerts').select(['id', 'resolved_as']).orderBy('id').execute();
          expect(rows).toEqual([
            { id: 'a1', resolved_as: 'recovered' },
            { id: 'a2', resolved_as: 'manual' },
            { id: 'a3', resolved_as: null },
          ]);
          const monitor = await db.selectFrom('monitors').select(['paused_at', 'paused_by', 'pause_reason', 'evaluate_from_ms']).executeTakeFirstOrThrow();
          expect(monitor).toEqual({ paused_at: null, paused_by: null, pause_reason: null, evaluate_from_ms: null });
          const applied = (await sql<{ name: string }>`select name from ${sql.table('evalops_migrations')} order by name`.execute(db)).rows.map((r) => r.name);
          expect(applied).toContain('012-release-names');
          expect(applied).toContain('013-monitor-lifecycle');
        } finally {
          await close();
        }
      });
    }
  });
}
