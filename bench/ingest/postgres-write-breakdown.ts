/**
 * The PostgreSQL span write taken apart: the same spans (the ingest bench's bodies, decoded and
 * mapped by the server's own code outside the timing) written through `SpanRepository.insertRows`
 * into a fresh schema per variant, in batches of a few requests' worth of spans. Timed: the client's
 * CPU and wall time per span, and PostgreSQL's CPU per span (from /proc: the backends of this
 * database and the WAL writer, checkpointer and background writer; the first batch, which opens the
 * connections, is not timed). Variants change one thing at a time: the table as
 * migrated; rows kept inline without compression (toast_tuple_target); without the session index;
 * without both secondary indexes.
 *
 *   node --import tsx bench/ingest/postgres-write-breakdown.ts [--json] [--spans N] [--url postgres://…]
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { decodeOtlpProtobuf } from '../../src/ingest/decode-otlp-protobuf.js';
import { mapOtlpSpans } from '../../src/ingest/map-span.js';
import { appendSpanRow, type SpanColumnValue } from '../../src/store/span-row.js';
import { openStore, type Store } from '../../src/store/store.js';
import { BodyStamper, buildTemplates } from './otlp-bodies.mjs';
import { processCpuMs } from './process-cpu.mjs';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    spans: { type: 'string', default: '163840' },
    batch: { type: 'string', default: '4096' },
    url: { type: 'string', default: process.env['EVALOPS_BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
const BODY_SPANS = 512;
const batchBodies = Math.max(1, Math.round(Number(values.batch) / BODY_SPANS));
const totalBatches = Math.ceil(Number(values.spans) / BODY_SPANS / batchBodies);

const { templates } = buildTemplates(8);
const stamper = new BodyStamper(templates);
const buffer = stamper.newBuffer();

/** The rows of the next batch, made as the write queue makes them. */
function nextBatch(projectId: string): SpanColumnValue[] {
  const rows: SpanColumnValue[] = [];
  const receivedAt = new Date().toISOString();
  for (let i = 0; i < batchBodies; i++) {
    const decoded = decodeOtlpProtobuf(Buffer.from(stamper.next(buffer).body));
    if (!decoded.ok) throw decoded.error;
    for (const span of mapOtlpSpans(decoded.spans, { nowMs: Date.now() }).spans) appendSpanRow(rows, { projectId, span }, receivedAt);
  }
  return rows;
}

interface Variant {
  readonly name: string;
  readonly setup?: (store: Store) => Promise<void>;
}

const VARIANTS: readonly Variant[] = [
  { name: 'as migrated (named prepared 512-row INSERTs, lz4 documents)' },
  { name: 'rows kept inline, uncompressed (toast_tuple_target = 8160)', setup: async (s) => void (await sql`alter table spans set (toast_tuple_target = 8160)`.execute(s.db)) },
  { name: 'without the (project, session) index', setup: async (s) => void (await sql`drop index spans_project_session`.execute(s.db)) },
  {
    name: 'without both secondary indexes',
    setup: async (s) => {
      await sql`drop index spans_project_session`.execute(s.db);
      await sql`drop index spans_project_start`.execute(s.db);
    },
  },
];

async function measure(variant: Variant, index: number): Promise<{ name: string; clientUs: number; wallUs: number; postgresUs: number }> {
  const schema = `evalops_pg_breakdown_${process.pid}_${index}`;
  const store = await openStore(values.url, { schema });
  try {
    const project = await store.projects.ensure('bench');
    await variant.setup?.(store);
    const batches = Array.from({ length: totalBatches }, () => nextBatch(project.id));
    // PostgreSQL's own processes that do this work: the backends of this store's connections (the
    // first write opens them) and the WAL writer, checkpointer and background writer — not the
    // backends of other databases on the same server.
    let written = await store.spans.insertRows([batches[0]!]);
    const { rows: pids } = await sql<{ pid: number }>`select pid from pg_stat_activity where (datname = current_database() and backend_type = 'client backend') or backend_type in ('walwriter', 'checkpointer', 'background writer')`.execute(store.db);
    const postgresBefore = pids.map((p) => processCpuMs(p.pid));
    const before = process.cpuUsage();
    const started = performance.now();
    for (const rows of batches.slice(1)) written += await store.spans.insertRows([rows]);
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(before);
    const postgresMs = pids.reduce((sum, p, i) => sum + processCpuMs(p.pid) - postgresBefore[i]!, 0);
    const timed = written - batches[0]!.length / 20;
    const perSpan = (ms: number): number => (ms * 1000) / timed;
    return { name: variant.name, clientUs: perSpan((used.user + used.system) / 1000), wallUs: perSpan(wallMs), postgresUs: perSpan(postgresMs) };
  } finally {
    await sql`drop schema ${sql.id(schema)} cascade`.execute(store.db);
    await store.close();
  }
}

const results = [];
for (const [i, variant] of VARIANTS.entries()) {
  results.push(await measure(variant, i));
  if (values.json) process.stderr.write(`postgres-write-breakdown: ${results.at(-1)!.postgresUs.toFixed(1)} µs/span in PostgreSQL  ${variant.name}\n`);
}
const report = { spans: totalBatches * batchBodies * BODY_SPANS, batchSpans: batchBodies * BODY_SPANS, variants: results };
process.stdout.write(
  values.json
    ? `${JSON.stringify(report)}\n`
    : `${results.map((r) => `${r.postgresUs.toFixed(1).padStart(6)} µs/span PostgreSQL CPU  ${r.clientUs.toFixed(1).padStart(6)} client CPU  ${r.wallUs.toFixed(1).padStart(6)} wall  ${r.name}`).join('\n')}\n`,
);
