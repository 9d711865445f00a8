import { sql, type Kysely } from 'kysely';

/** One day in milliseconds: spans are partitioned by the UTC day of their start time. */
export const DAY_MS = 86_400_000;

/** Days of partitions kept created ahead of today, so ingest never writes into the default partition. */
export const PARTITION_DAYS_AHEAD = 7;

/** The partition of a UTC day: `spans_d20261207`. */
export function partitionName(dayStartMs: number): string {
  return `spans_d${new Date(dayStartMs).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** The UTC day a partition name stands for (its first millisecond), or undefined for another table. */
export function partitionDay(name: string): number | undefined {
  const m = /^spans_d(\d{4})(\d{2})(\d{2})$/.exec(name);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

/** The first millisecond of the UTC day holding `ms`. */
export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** The day partitions of `spans` that exist, by name. */
export async function listSpanPartitions(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'spans'::regclass`.execute(db);
  return rows.map((r) => r.name).filter((n) => partitionDay(n) !== undefined);
}

/**
 * Creates the day partition of `dayStartMs` unless it exists. Rows of that day already in the default
 * partition (a span that arrived with a start time days ahead) are moved into it in the same
 * transaction, so attaching it never fails on them.
 */
export async function ensureSpanPartition(db: Kysely<any>, dayStartMs: number): Promise<boolean> {
  const name = partitionName(dayStartMs);
  const from = dayStartMs;
  const to = dayStartMs + DAY_MS;
  return db.transaction().execute(async (trx) => {
    // Two servers starting at once: one creates, the other waits here and then finds it.
    await sql`select pg_advisory_xact_lock(hashtext('evalops_span_partitions'))`.execute(trx);
    // to_regclass looks in the search path: another schema's table of that name is not this one.
    const { rows } = await sql<{ found: boolean }>`select to_regclass(${name}) is not null as found`.execute(trx);
    if (rows[0]?.found) return false;
    const table = sql.id(name);
    await sql`create table ${table} (like spans including defaults including constraints including storage including compression)`.execute(trx);
    await sql`with moved as (delete from spans_default where start_time_ms >= ${from} and start_time_ms < ${to} returning *) insert into ${table} select * from moved`.execute(trx);
    await sql`alter table spans attach partition ${table} for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(trx);
    return true;
  });
}

/** Makes sure the partitions from today to PARTITION_DAYS_AHEAD days ahead exist; answers how many were created. */
export async function ensureSpanPartitionsAhead(db: Kysely<any>, nowMs: number, daysAhead = PARTITION_DAYS_AHEAD): Promise<number> {
  const existing = new Set(await listSpanPartitions(db));
  let created = 0;
  for (let d = 0; d <= daysAhead; d++) {
    const day = dayStart(nowMs) + d * DAY_MS;
    if (!existing.has(partitionName(day)) && (await ensureSpanPartition(db, day))) created++;
  }
  return created;
}

/**
 * Drops the day partitions that end at or before `cutoffMs` (every span in them started before the
 * cutoff): a catalog change, whatever their size. Answers the spans they held (from the planner's
 * estimate, not counted row by row) and how many were dropped.
 */
export async function dropSpanPartitionsBefore(db: Kysely<any>, cutoffMs: number): Promise<{ readonly dropped: number; readonly estimatedSpans: number }> {
  let dropped = 0;
  let estimatedSpans = 0;
  for (const name of await listSpanPartitions(db)) {
    const day = partitionDay(name) as number;
    if (day + DAY_MS > cutoffMs) continue;
    const { rows } = await sql<{ n: number }>`select greatest(reltuples, 0)::bigint as n from pg_class where oid = to_regclass(${name})`.execute(db);
    estimatedSpans += Number(rows[0]?.n ?? 0);
    await sql`drop table if exists ${sql.id(name)}`.execute(db);
    dropped++;
  }
  return { dropped, estimatedSpans };
}
