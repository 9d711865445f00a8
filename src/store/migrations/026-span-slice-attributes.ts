import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';
import { sliceAttributesText } from '../../core/coverage/slice-attributes.js';

/** Spans read and updated per statement while existing rows are filled in (SQLite). */
const BACKFILL_BATCH = 2_000;

/**
 * `spans.slice_attributes`: a span's `evalops.slice.*` attributes, copied out of its document at
 * ingest (JSON, keys sorted; null when it has none), so coverage groups a window's traces by a short
 * column instead of parsing every span document. Existing rows are filled in here.
 *
 * SQLite: the (project, start) index also carries the trace id and this column, so coverage reads
 * a window from the index alone, never the table's rows (whose slice column sits after the document,
 * past its overflow pages). It replaces the narrower index rather than adding one: ingest keeps one
 * index insert per span. PostgreSQL: the column only (rows are read from the heap, the document stays
 * in TOAST).
 */
export const spanSliceAttributesMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await sql`alter table spans add column slice_attributes text`.execute(db);
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`
        update spans set slice_attributes = (
          select jsonb_object_agg(j.key, j.value)::text from jsonb_each(spans.document::jsonb -> 'attributes') j
          where j.key like 'evalops.slice.%' and jsonb_typeof(j.value) <> 'null')
        where position('evalops.slice.' in document) > 0`.execute(db);
      return;
    }
    for (let after = -1; ; ) {
      const { rows } = await sql<{ id: number; document: string }>`
        select rowid as id, document from spans where rowid > ${after} and instr(document, 'evalops.slice.') > 0 order by rowid limit ${BACKFILL_BATCH}`.execute(db);
      for (const row of rows) {
        const attributes = (JSON.parse(row.document) as { attributes?: unknown }).attributes;
        const text = attributes !== null && typeof attributes === 'object' ? sliceAttributesText(attributes as Record<string, unknown>) : null;
        if (text !== null) await sql`update spans set slice_attributes = ${text} where rowid = ${row.id}`.execute(db);
      }
      if (rows.length < BACKFILL_BATCH) break;
      after = (rows.at(-1) as { id: number }).id;
    }
    await sql`drop index spans_project_start`.execute(db);
    await sql`create index spans_project_start on spans (project_id, start_time_ms, trace_id, slice_attributes)`.execute(db);
  },
  async down(db: Kysely<any>): Promise<void> {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
      await sql`drop index spans_project_start`.execute(db);
      await sql`create index spans_project_start on spans (project_id, start_time_ms)`.execute(db);
    }
    await sql`alter table spans drop column slice_attributes`.execute(db);
  },
};
