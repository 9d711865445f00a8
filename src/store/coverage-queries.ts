import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { TraceGroup } from '../core/coverage/compute-coverage.js';
import { SLICE_ATTRIBUTE_PREFIX } from '../core/coverage/coverage-config.js';
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
 * Without configured attributes, the `evalops.slice.*` attributes are read from the
 * `slice_attributes` column written at ingest (on SQLite, from the (project, start) index alone) in
 * one query that also counts the window's traces. With configured attributes, every span document of
 * the window is parsed (the column cannot hold attributes ingest did not know to copy). Either way a
 * value reads the same on both databases (`attributeValueText`: a boolean is `true`, not `1`).
 */
export async function traceSliceGroups(
  db: Kysely<Database>,
  dialect: Dialect,
  projectId: string,
  window: { readonly fromMs: number; readonly toMs: number },
  attributes: readonly string[],
): Promise<{ total: number; groups: TraceGroup[] }> {
  const rows = (await groupQuery(dialect, projectId, window, attributes).execute(db)).rows;
  let total = attributes.length === 0 ? 0 : await tracesIn(db, projectId, window);
  const groups = new Map<string, TraceGroup & { exampleTraceIds: string[]; traces: number; byDay: Map<number, number> }>();
  for (const r of rows) {
    const n = Number(r.n);
    if (attributes.length === 0) total += n;
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

async function tracesIn(db: Kysely<Database>, projectId: string, window: { readonly fromMs: number; readonly toMs: number }): Promise<number> {
  const row = await db
    .selectFrom('spans')
    .select((eb) => eb.fn.count<number | string>(sql`distinct trace_id`).as('n'))
    .where('project_id', '=', projectId)
    .where('start_time_ms', '>=', window.fromMs)
    .where('start_time_ms', '<', window.toMs)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

interface GroupRow {
  /** Comma-joined JSON objects of slice attributes of the trace's spans; null: no span has any. */
  sig: string | null;
  day: number | string;
  n: number | string;
  first: string;
  last: string;
}

/**
 * One row per (set of slice attribute objects, day) with its trace count, traces without any as
 * well (`sig` null), so the counts add up to the window's traces.
 *
 * `evalops.slice.*` only: from the ingest column; per trace, the one text when every span that has
 * any has the same (the common case, no string building), else all of them joined by commas.
 * With configured attributes, those and `evalops.slice.*` are read from the span documents, one
 * object per matching attribute; traces without any then do not come back (the total is counted
 * apart).
 */
function groupQuery(dialect: Dialect, projectId: string, window: { readonly fromMs: number; readonly toMs: number }, attributes: readonly string[]): RawBuilder<GroupRow> {
  const inWindow = sql`s.project_id = ${projectId} and s.start_time_ms >= ${window.fromMs} and s.start_time_ms < ${window.toMs}`;
  const prefix = `${SLICE_ATTRIBUTE_PREFIX}%`;
  const keys = attributes.length ? sql`(j.key like ${prefix} or j.key in (${sql.join([...attributes])}))` : sql`false`;
  if (dialect === 'postgres') {
    const t =
      attributes.length === 0
        ? sql`select trace_id, min(start_time_ms) as start, case when min(slice_attributes) = max(slice_attributes) then min(slice_attributes) else string_agg(slice_attributes, ',') end as sig
              from spans s where ${inWindow} group by trace_id`
        : sql`select s.trace_id, min(s.start_time_ms) as start, string_agg(json_build_object(j.key, j.value)::text, ',') as sig
              from spans s cross join lateral jsonb_each(s.document::jsonb -> 'attributes') j
              where ${inWindow} and ${keys} and jsonb_typeof(j.value) <> 'null' group by s.trace_id`;
    return sql<GroupRow>`
      with t as (${t})
      select sig, floor(start / 86400000) as day, count(*) as n, min(trace_id) as first, max(trace_id) as last from t group by sig, floor(start / 86400000)`;
  }
  const t =
    attributes.length === 0
      ? sql`select trace_id, min(start_time_ms) as start, iif(min(slice_attributes) = max(slice_attributes), min(slice_attributes), group_concat(slice_attributes, ',')) as sig
            from spans s where ${inWindow} group by trace_id`
      : sql`select s.trace_id as trace_id, min(s.start_time_ms) as start,
              group_concat(json_object(j.key, case j.type when 'true' then json('true') when 'false' then json('false') else j.value end), ',') as sig
            from spans s, json_each(s.document, '$.attributes') j
            where ${inWindow} and ${keys} and j.type <> 'null' group by s.trace_id`;
  return sql<GroupRow>`
    with t as (${t})
    select sig, cast(start / 86400000 as integer) as day, count(*) as n, min(trace_id) as first, max(trace_id) as last from t group by sig, cast(start / 86400000 as integer)`;
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

/**
 * A seeded sample of at most `limit` trace ids of the window, for coverage by clusters: the ids in
 * order from a point the seed picks, wrapping around. Trace ids are random, so a run of them is a
 * uniform sample; the same window and seed give the same sample. Read from the (project, start)
 * index on SQLite (it holds the trace id).
 */
export async function sampleWindowTraceIds(db: Kysely<Database>, projectId: string, window: { readonly fromMs: number; readonly toMs: number }, limit: number, seed: number): Promise<string[]> {
  const start = seedHex(seed);
  const page = (from: 'at' | 'before', n: number) =>
    db
      .selectFrom('spans')
      .select('trace_id')
      .distinct()
      .where('project_id', '=', projectId)
      .where('start_time_ms', '>=', window.fromMs)
      .where('start_time_ms', '<', window.toMs)
      .where('trace_id', from === 'at' ? '>=' : '<', start)
      .orderBy('trace_id')
      .limit(n)
      .execute();
  const ids = (await page('at', limit)).map((r) => r.trace_id);
  if (ids.length < limit) ids.push(...(await page('before', limit - ids.length)).map((r) => r.trace_id));
  return ids;
}

/** 32 lowercase hex digits from a seed (splitmix32 steps): where a seeded sample of trace ids starts. */
function seedHex(seed: number): string {
  let x = seed >>> 0;
  let out = '';
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    out += ((z ^ (z >>> 16)) >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}
