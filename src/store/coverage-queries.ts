import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { TraceGroup } from '../core/coverage/compute-coverage.js';
import { attributeValueText } from '../core/coverage/slice-attributes.js';
import type { Database } from './database.js';
import type { Dialect } from './store.js';

/**
 * The traces of a project's window grouped by their slice attributes (`evalops.slice.*` and the
 * configured ones), counted in the database: one row per distinct set and day, never one per trace,
 * so a million traces come back as a few hundred rows. Every span of a trace counts (an application
 * may set the slice on a child span); the window is on span start time, and a trace's day is that of
 * its first span in the window.
 *
 * `evalops.slice.*` attributes are read from the `slice_attributes` column written at ingest (on
 * SQLite, from the (project, start) index alone); configured attributes are read from the span
 * documents, which costs a parse per span. Either way a value reads the same on both databases
 * (`attributeValueText`: a boolean is `true`, not `1`).
 */
export async function traceSliceGroups(
  db: Kysely<Database>,
  dialect: Dialect,
  projectId: string,
  window: { readonly fromMs: number; readonly toMs: number },
  attributes: readonly string[],
): Promise<{ total: number; groups: TraceGroup[] }> {
  const rows = (await groupQuery(dialect, projectId, window, attributes).execute(db)).rows;
  let total = 0;
  const groups = new Map<string, TraceGroup & { exampleTraceIds: string[]; traces: number; byDay: Map<number, number> }>();
  for (const r of rows) {
    const n = Number(r.n);
    total += n;
    if (r.sig === null) continue;
    const pairs = pairsOf(r.sig);
    if (pairs.length === 0) continue;
    // The same set may arrive as several texts (key order, spans in another order): merge on the sorted form.
    const key = pairs.map(([a, v]) => `${a}\u001f${v}`).join('\u001e');
    const g = groups.get(key) ?? { attributes: pairs, traces: 0, exampleTraceIds: [], byDay: new Map<number, number>() };
    g.traces += n;
    const day = Number(r.day) * 86_400_000;
    g.byDay.set(day, (g.byDay.get(day) ?? 0) + n);
    for (const id of [r.first, r.last]) if (!g.exampleTraceIds.includes(id)) g.exampleTraceIds.push(id);
    groups.set(key, g);
  }
  return { total, groups: [...groups.values()] };
}

interface GroupRow {
  /** Comma-joined JSON objects (or `null`s) of slice attributes of the trace's spans; null: no span has any. */
  sig: string | null;
  day: number | string;
  n: number | string;
  first: string;
  last: string;
}

/**
 * One row per (set of slice attribute objects, day) with its trace count. Per trace, the objects of
 * its spans: the one text when every span that has any has the same (the common case, no string
 * building), else all of them joined by commas.
 */
function groupQuery(dialect: Dialect, projectId: string, window: { readonly fromMs: number; readonly toMs: number }, attributes: readonly string[]): RawBuilder<GroupRow> {
  const spanSlices = spanSlicesExpression(dialect, attributes);
  if (dialect === 'postgres') {
    return sql<GroupRow>`
      with t as (
        select trace_id, min(start_time_ms) as start, case when min(x) = max(x) then min(x) else string_agg(x, ',') end as sig
        from (select trace_id, start_time_ms, ${spanSlices} as x from spans s
              where project_id = ${projectId} and start_time_ms >= ${window.fromMs} and start_time_ms < ${window.toMs}) spans_of_window
        group by trace_id)
      select sig, floor(start / 86400000) as day, count(*) as n, min(trace_id) as first, max(trace_id) as last from t group by sig, floor(start / 86400000)`;
  }
  return sql<GroupRow>`
    with t as (
      select trace_id, min(start_time_ms) as start, iif(min(x) = max(x), min(x), group_concat(x, ',')) as sig
      from (select trace_id, start_time_ms, ${spanSlices} as x from spans s
            where project_id = ${projectId} and start_time_ms >= ${window.fromMs} and start_time_ms < ${window.toMs})
      group by trace_id)
    select sig, cast(start / 86400000 as integer) as day, count(*) as n, min(trace_id) as first, max(trace_id) as last from t group by sig, cast(start / 86400000 as integer)`;
}

/**
 * A span's slice attributes as JSON object text: the ingest column (null: none), or, when attributes
 * are configured, that column and an object of the configured attributes read from the document,
 * joined by a comma. A document is parsed only when its text names one of them.
 */
function spanSlicesExpression(dialect: Dialect, attributes: readonly string[]): RawBuilder<string | null> {
  if (attributes.length === 0) return sql`s.slice_attributes`;
  const keys = sql.join([...attributes]);
  // A key needing no JSON escape appears in the document's text as itself, in quotes: a cheap test first.
  const mentions = attributes.every((a) => JSON.stringify(a) === `"${a}"`)
    ? sql.join(
        attributes.map((a) => (dialect === 'postgres' ? sql`position(${`"${a}"`} in s.document) > 0` : sql`instr(s.document, ${`"${a}"`}) > 0`)),
        sql` or `,
      )
    : sql`true`;
  const configured =
    dialect === 'postgres'
      ? sql`(select json_object_agg(j.key, j.value)::text from jsonb_each(s.document::jsonb -> 'attributes') j where j.key in (${keys}) and jsonb_typeof(j.value) <> 'null')`
      : sql`(select json_group_object(j.key, case j.type when 'true' then json('true') when 'false' then json('false') else j.value end) from json_each(s.document, '$.attributes') j where j.key in (${keys}) and j.type <> 'null' having count(*) > 0)`;
  // Each part once (a repeated subquery would be run again): "null" stands for a missing object.
  return sql`coalesce(s.slice_attributes, 'null') || ',' || coalesce(case when ${mentions} then ${configured} end, 'null')`;
}

/** `{"evalops.slice.intent":"refund"},{"app.lang":"en"}` → sorted distinct [attribute, value text] pairs. */
function pairsOf(sig: string): [string, string][] {
  const seen = new Set<string>();
  const pairs: [string, string][] = [];
  for (const object of JSON.parse(`[${sig}]`) as unknown[]) {
    if (object === null || typeof object !== 'object') continue;
    for (const [attribute, value] of Object.entries(object)) {
      const text = attributeValueText(value);
      if (text === null || seen.has(`${attribute}\u001f${text}`)) continue;
      seen.add(`${attribute}\u001f${text}`);
      pairs.push([attribute, text]);
    }
  }
  return pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
}
