import { sql, type Kysely } from 'kysely';
import type { TraceGroup } from '../core/coverage/compute-coverage.js';
import { SLICE_ATTRIBUTE_PREFIX } from '../core/coverage/coverage-config.js';
import type { Database } from './database.js';
import type { Dialect } from './store.js';

const SEP = '\u001f';

/**
 * The traces of a project's window grouped by their slice attributes (`evalops.slice.*` and the
 * configured ones), counted in the database: one row per distinct set, never one per trace, so a
 * million traces come back as a handful of rows. Every span of a trace counts (an application may set
 * the slice on a child span); the window is on span start time. Each set also comes with its traces
 * per UTC day (by the trace's first span), for the share of each slice over time.
 */
export async function traceSliceGroups(
  db: Kysely<Database>,
  dialect: Dialect,
  projectId: string,
  window: { readonly fromMs: number; readonly toMs: number },
  attributes: readonly string[],
): Promise<{ total: number; groups: TraceGroup[] }> {
  const totalRow = await db
    .selectFrom('spans')
    .select((eb) => eb.fn.count<number | string>(sql`distinct trace_id`).as('n'))
    .where('project_id', '=', projectId)
    .where('start_time_ms', '>=', window.fromMs)
    .where('start_time_ms', '<', window.toMs)
    .executeTakeFirst();
  const total = Number(totalRow?.n ?? 0);
  if (total === 0) return { total, groups: [] };
  const prefix = `${SLICE_ATTRIBUTE_PREFIX}%`;
  const keyFilter = attributes.length ? sql`(j.key like ${prefix} or j.key in (${sql.join([...attributes])}))` : sql`j.key like ${prefix}`;
  const rows =
    dialect === 'postgres'
      ? await sql<{ sig: string; day: number | string; n: number | string; first: string; last: string }>`
          with t as (
            select s.trace_id, min(s.start_time_ms) as start, json_agg(distinct j.key || ${SEP} || j.value)::text as sig
            from spans s cross join lateral jsonb_each_text(s.document::jsonb -> 'attributes') j
            where s.project_id = ${projectId} and s.start_time_ms >= ${window.fromMs} and s.start_time_ms < ${window.toMs}
              and ${keyFilter}
            group by s.trace_id)
          select sig, floor(start / 86400000) as day, count(*) as n, min(trace_id) as first, max(trace_id) as last from t group by sig, floor(start / 86400000)`.execute(db)
      : await sql<{ sig: string; day: number | string; n: number | string; first: string; last: string }>`
          with t as (
            select s.trace_id as trace_id, min(s.start_time_ms) as start, json_group_array(distinct j.key || ${SEP} || j.value) as sig
            from spans s, json_each(s.document, '$.attributes') j
            where s.project_id = ${projectId} and s.start_time_ms >= ${window.fromMs} and s.start_time_ms < ${window.toMs}
              and ${keyFilter}
            group by s.trace_id)
          select sig, cast(start / 86400000 as integer) as day, count(*) as n, min(trace_id) as first, max(trace_id) as last from t group by sig, cast(start / 86400000 as integer)`.execute(db);
  const groups = new Map<string, TraceGroup & { exampleTraceIds: string[]; traces: number; byDay: Map<number, number> }>();
  for (const r of rows.rows) {
    const pairs = (JSON.parse(r.sig) as unknown[])
      .filter((x): x is string => typeof x === 'string')
      .map((x) => {
        const at = x.indexOf(SEP);
        return [x.slice(0, at), x.slice(at + 1)] as const;
      })
      .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
    // The same set may arrive in another order from SQLite: merge on the sorted form.
    const key = pairs.map(([a, v]) => `${a}${SEP}${v}`).join('\u001e');
    const g = groups.get(key) ?? { attributes: pairs, traces: 0, exampleTraceIds: [], byDay: new Map<number, number>() };
    g.traces += Number(r.n);
    const day = Number(r.day) * 86_400_000;
    g.byDay.set(day, (g.byDay.get(day) ?? 0) + Number(r.n));
    for (const id of [r.first, r.last]) if (!g.exampleTraceIds.includes(id)) g.exampleTraceIds.push(id);
    groups.set(key, g);
  }
  return { total, groups: [...groups.values()] };
}
