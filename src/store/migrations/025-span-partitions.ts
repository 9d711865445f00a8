import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';
import { DAY_MS, dayStart, PARTITION_DAYS_AHEAD, partitionName } from '../postgres/span-partitions.js';

/** The indexes of `spans` (migrations 004, 007, 009, 012), recreated on the partitioned table. */
const SPAN_INDEXES = [
  sql`create index spans_project_start on spans (project_id, start_time_ms)`,
  sql`create index spans_session_activity on spans (project_id, session_id, end_time_ms, start_time_ms) where session_id is not null`,
  sql`create index spans_project_received_root on spans (project_id, received_at, trace_id) where parent_span_id is null`,
  sql`create index spans_project_release on spans (project_id, release)`,
];
const SPAN_INDEX_NAMES = ['spans_project_start', 'spans_session_activity', 'spans_project_received_root', 'spans_project_release'];

/** Days of existing spans given their own partition when the table is converted (older ones go to the default partition). */
const BACKFILL_DAYS = 400;

/**
 * PostgreSQL: `spans` becomes a table partitioned by range of `start_time_ms`, one partition per UTC
 * day (`spans_d20261207`) plus a default one for spans outside the created days, so retention drops
 * whole days (a catalog change) instead of deleting rows, and a day's indexes stay small. The key
 * gains `start_time_ms` (a partitioned table's unique keys must hold its partition key): a span sent
 * twice, with its own start time, is still stored once. Existing rows are copied into the new table;
 * partitions are created for the days they cover (up to 400 days back) and 7 days ahead (the server
 * keeps creating them ahead: span-partitions.ts). SQLite: nothing changes (retention there deletes in
 * batches over the (project, start) index).
 */
export const spanPartitionsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    await sql`alter table spans rename to spans_unpartitioned`.execute(db);
    await sql`alter table spans_unpartitioned rename constraint spans_pk to spans_unpartitioned_pk`.execute(db);
    for (const name of SPAN_INDEX_NAMES) await sql`alter index if exists ${sql.id(name)} rename to ${sql.id(`${name}_unpartitioned`)}`.execute(db);
    await sql`create table spans (like spans_unpartitioned including defaults including storage including compression) partition by range (start_time_ms)`.execute(db);
    await sql`alter table spans add constraint spans_pk primary key (project_id, trace_id, span_id, start_time_ms)`.execute(db);
    await sql`alter table spans add constraint spans_project_fk foreign key (project_id) references projects (id)`.execute(db);
    for (const index of SPAN_INDEXES) await index.execute(db);
    await sql`create table spans_default partition of spans default`.execute(db);
    const today = dayStart(Date.now());
    const { rows } = await sql<{ day: string }>`
      select distinct (floor(start_time_ms / ${DAY_MS}) * ${DAY_MS})::bigint as day from spans_unpartitioned
      where start_time_ms >= ${today - BACKFILL_DAYS * DAY_MS} and start_time_ms < ${today}`.execute(db);
    const days = [...rows.map((r) => Number(r.day)), ...Array.from({ length: PARTITION_DAYS_AHEAD + 1 }, (_, d) => today + d * DAY_MS)];
    for (const from of days) {
      await sql`create table ${sql.id(partitionName(from))} partition of spans for values from (${sql.lit(from)}) to (${sql.lit(from + DAY_MS)})`.execute(db);
    }
    await sql`insert into spans select * from spans_unpartitioned`.execute(db);
    await sql`drop table spans_unpartitioned`.execute(db);
  },
  async down(db: Kysely<any>): Promise<void> {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    await sql`alter table spans rename to spans_partitioned`.execute(db);
    await sql`alter table spans_partitioned rename constraint spans_pk to spans_partitioned_pk`.execute(db);
    for (const name of SPAN_INDEX_NAMES) await sql`alter index if exists ${sql.id(name)} rename to ${sql.id(`${name}_partitioned`)}`.execute(db);
    await sql`create table spans (like spans_partitioned including defaults including storage including compression)`.execute(db);
    await sql`alter table spans add constraint spans_pk primary key (project_id, trace_id, span_id)`.execute(db);
    await sql`alter table spans add foreign key (project_id) references projects (id)`.execute(db);
    for (const index of SPAN_INDEXES) await index.execute(db);
    await sql`insert into spans select * from spans_partitioned on conflict do nothing`.execute(db);
    await sql`drop table spans_partitioned cascade`.execute(db);
  },
};
