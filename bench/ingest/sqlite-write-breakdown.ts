/**
 * The SQLite span write taken apart: the same spans (the ingest bench's bodies, decoded and mapped
 * by the server's own code, outside the timing) written into a fresh file per variant, in
 * transactions of a few requests' worth of spans as the write queue makes them. Only the write is
 * timed. Variants peel one cost off at a time: the store's own insertBatch (Kysely, multi-row inserts,
 * a statement prepared per query, JSON.stringify inside), a reused single-row prepared statement, the
 * JSON.stringify of the document, the page cache and checkpoint settings, ids as BLOBs, the session
 * index, both secondary indexes, the primary-key index.
 *
 *   node --import tsx bench/ingest/sqlite-write-breakdown.ts [--json] [--spans N]
 *
 * Run by the ingest bench when SQLite misses its budget; prints a table, or one JSON document.
 */
import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Span } from '../../src/core/span.js';
import { decodeOtlpProtobuf } from '../../src/ingest/decode-otlp-protobuf.js';
import { mapOtlpSpans } from '../../src/ingest/map-span.js';
import { openStore } from '../../src/store/store.js';
import { BodyStamper, buildTemplates } from './otlp-bodies.mjs';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, spans: { type: 'string', default: '256000' } } });
/** bench/.work (git-ignored), as bench/lib/paths.mjs names it. */
const WORK_DIR = fileURLToPath(new URL('../.work', import.meta.url));
const BATCH_BODIES = 4;
const totalBodies = Math.ceil(Number(values.spans) / 512 / BATCH_BODIES) * BATCH_BODIES;
const tailBodies = Math.ceil(totalBodies / 5 / BATCH_BODIES) * BATCH_BODIES;

const { templates } = buildTemplates(8);
const stamper = new BodyStamper(templates);
const buffer = stamper.newBuffer();

function nextBatch(): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < BATCH_BODIES; i++) {
    const decoded = decodeOtlpProtobuf(Buffer.from(stamper.next(buffer).body));
    if (!decoded.ok) throw decoded.error;
    const mapped = mapOtlpSpans(decoded.spans, { nowMs: Date.now() });
    if (mapped.rejected.length > 0) throw new Error(`the bench bodies had rejected spans: ${mapped.rejected[0]?.reason}`);
    spans.push(...mapped.spans);
  }
  return spans;
}

const COLUMNS = ['project_id', 'trace_id', 'span_id', 'parent_span_id', 'name', 'kind', 'status', 'start_time_ms', 'end_time_ms', 'duration_ms', 'model', 'session_id', 'user_id', 'release', 'service_name', 'input_tokens', 'output_tokens', 'cost_usd', 'document', 'received_at'];

function row(projectId: string, s: Span, document: string, receivedAt: string): unknown[] {
  return [projectId, s.traceId, s.spanId, s.parentSpanId ?? null, s.name, s.kind, s.status, s.startTimeMs, s.endTimeMs, s.durationMs, s.model ?? null, s.sessionId ?? null, s.userId ?? null, s.release ?? null, s.serviceName ?? null, s.usage.inputTokens ?? null, s.usage.outputTokens ?? null, s.costUsd ?? null, document, receivedAt];
}

interface Variant {
  readonly name: string;
  /** Changes to the freshly migrated file before writing (SQL), and connection pragmas. */
  readonly setup?: (db: Database.Database) => void;
  readonly stringifyInside: boolean;
  readonly viaStore?: boolean;
  /** Trace, span and parent ids written as their 16 / 8 bytes instead of hex text. */
  readonly blobIds?: boolean;
}

/** Every secondary index of today's schema (migrations 007, 012, 026, 028) and the session trigger (027). */
const SECONDARY_INDEXES = ['spans_project_start', 'spans_session_activity', 'spans_project_received_root', 'spans_project_release', 'spans_project_user'];
const withoutSecondaryIndexes = (db: Database.Database): void => void db.exec(`drop trigger spans_span_sessions; ${SECONDARY_INDEXES.map((i) => `drop index ${i};`).join(' ')}`);

/** Recreates `spans` from its own CREATE statement, edited. */
function recreate(db: Database.Database, edit: (sql: string) => string): void {
  const { sql } = db.prepare("select sql from sqlite_master where type = 'table' and name = 'spans'").get() as { sql: string };
  const edited = edit(sql);
  if (edited === sql) throw new Error(`the edit did not change the spans table: ${sql}`);
  db.exec(`drop table spans; ${edited}`);
}

const largeCache = (db: Database.Database): void => {
  db.pragma('cache_size = -262144');
  db.pragma('wal_autocheckpoint = 10000');
};

/** The ids as BLOB columns; the recreated table has the start and session indexes only, no trigger. */
const blobIdColumns = (db: Database.Database): void => {
  recreate(db, (sql) => sql.replace('"trace_id" text', '"trace_id" blob').replace('"span_id" text', '"span_id" blob').replace('"parent_span_id" text', '"parent_span_id" blob'));
  db.exec('create index spans_project_start on spans (project_id, start_time_ms); create index spans_session_activity on spans (project_id, session_id, end_time_ms, start_time_ms) where session_id is not null');
};

const VARIANTS: readonly Variant[] = [
  { name: 'SpanRepository.insertBatch in one thread (Kysely multi-row inserts, JSON.stringify inside; serve now writes through its worker thread instead)', viaStore: true, stringifyInside: true },
  { name: 'one reused single-row prepared INSERT, JSON.stringify inside', stringifyInside: true },
  { name: 'same, documents stringified beforehand: SQLite alone, as migrated', stringifyInside: false },
  { name: 'SQLite alone, cache_size 256 MiB + wal_autocheckpoint 10,000 pages', setup: largeCache, stringifyInside: false },
  { name: 'SQLite alone, trace/span/parent ids as 16/8-byte BLOBs, table recreated (2 secondary indexes, no trigger)', setup: blobIdColumns, blobIds: true, stringifyInside: false },
  {
    name: 'SQLite alone, BLOB ids (2 secondary indexes, no trigger) + cache_size 256 MiB + wal_autocheckpoint 10,000',
    setup: (db) => {
      blobIdColumns(db);
      largeCache(db);
    },
    blobIds: true,
    stringifyInside: false,
  },
  { name: 'SQLite alone, without the span_sessions trigger', setup: (db) => void db.exec('drop trigger spans_span_sessions'), stringifyInside: false },
  { name: 'SQLite alone, without the trigger and the (project, session) activity index', setup: (db) => void db.exec('drop trigger spans_span_sessions; drop index spans_session_activity'), stringifyInside: false },
  { name: 'SQLite alone, without the trigger and every secondary index (start, session activity, roots, release, user)', setup: withoutSecondaryIndexes, stringifyInside: false },
  {
    name: 'SQLite alone, without the primary-key index either (rowid table append only)',
    setup: (db) => {
      withoutSecondaryIndexes(db);
      recreate(db, (sql) => sql.replace(/,\s*constraint\s+"spans_pk"\s+primary key\s*\([^)]*\)/i, ''));
    },
    stringifyInside: false,
  },
];

async function measure(variant: Variant, index: number): Promise<{ name: string; wholeUs: number; tailUs: number }> {
  const dir = join(WORK_DIR, 'sqlite-write-breakdown');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `variant-${index}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  const store = await openStore(`sqlite:${path}`);
  const project = await store.projects.ensure('bench');
  let db: Database.Database | undefined;
  if (!variant.viaStore) {
    await store.close();
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    variant.setup?.(db);
  }
  const insert = db?.prepare(`insert into spans (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')}) on conflict do nothing`);
  let wholeMs = 0;
  let tailMs = 0;
  let written = 0;
  for (let b = 0; b < totalBodies; b += BATCH_BODIES) {
    const spans = nextBatch();
    const receivedAt = new Date().toISOString();
    const documents = variant.stringifyInside ? undefined : spans.map((s) => JSON.stringify(s));
    const started = performance.now();
    if (variant.viaStore) {
      await store.spans.insertBatch(spans.map((span) => ({ projectId: project.id, span })));
    } else {
      db!.transaction(() => {
        spans.forEach((s, i) => {
          const values = row(project.id, s, documents?.[i] ?? JSON.stringify(s), receivedAt);
          if (variant.blobIds) for (const c of [1, 2, 3]) values[c] = typeof values[c] === 'string' ? Buffer.from(values[c] as string, 'hex') : values[c];
          insert!.run(values);
        });
      })();
    }
    const ms = performance.now() - started;
    wholeMs += ms;
    if (b >= totalBodies - tailBodies) tailMs += ms;
    written += spans.length;
  }
  const count = variant.viaStore ? await store.spans.count(project.id) : (db!.prepare('select count(*) as n from spans').get() as { n: number }).n;
  if (count !== written) throw new Error(`${variant.name}: ${count} rows stored, ${written} written`);
  if (variant.viaStore) await store.close();
  else db!.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  return { name: variant.name, wholeUs: (wholeMs * 1000) / written, tailUs: (tailMs * 1000) / (tailBodies * 512) };
}

const results = [];
for (const [i, variant] of VARIANTS.entries()) {
  results.push(await measure(variant, i));
  if (values.json) process.stderr.write(`sqlite-write-breakdown: ${results.at(-1)!.tailUs.toFixed(1)} µs/span  ${variant.name}\n`);
}
const report = { spans: totalBodies * 512, tailSpans: tailBodies * 512, batchSpans: BATCH_BODIES * 512, variants: results };
process.stdout.write(
  values.json ? `${JSON.stringify(report)}\n` : `${results.map((r) => `${r.tailUs.toFixed(1).padStart(6)} µs/span (tail)  ${r.wholeUs.toFixed(1).padStart(6)} (whole)  ${r.name}`).join('\n')}\n`,
);
