/**
 * PostgreSQL at scale (issue 22 item 3): N realistic spans generated straight in SQL with
 * `generate_series` (not through HTTP: that would take hours) into the day-partitioned `spans` of a
 * fresh schema, spread over 30 days; then the API pages that read spans are timed through a real
 * server (trace list, one trace, session list, one session: 1 warm-up + 10 loads each, p50/p90), the
 * disk per million spans is read from the catalog, and retention (dropping the 10 oldest days) is timed
 * (not with --keep: the kept schema keeps all N spans for --reuse).
 * Span documents are the real OpenInference spans of bench/ingest/otlp-bodies.mjs (about 1.3 KB),
 * mapped by src/ingest, with ids and times replaced per row.
 *
 *   node --import tsx bench/ingest/pg-scale.ts [--spans 1000000] [--url postgres://postgres@127.0.0.1:5432/test] [--keep]
 *     [--schema NAME --reuse]   time the pages again on a schema kept by an earlier --keep run (no seed, no retention)
 *     [--loads 10]              timed loads per page (after 1 warm-up)
 *     [--only TEXT]             time only the pages whose name contains TEXT
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { decodeOtlpProtobuf } from '../../src/ingest/decode-otlp-protobuf.js';
import { mapOtlpSpans } from '../../src/ingest/map-span.js';
import { startServer } from '../../src/server/start-server.js';
import { DAY_MS, dayStart, ensureSpanPartition } from '../../src/store/postgres/span-partitions.js';
import { enforceSpanRetention } from '../../src/store/span-retention.js';
import { openStore } from '../../src/store/store.js';
import { buildTemplates } from './otlp-bodies.mjs';

const { values } = parseArgs({ options: { spans: { type: 'string', default: '1000000' }, url: { type: 'string', default: process.env['EVALOPS_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test' }, keep: { type: 'boolean', default: false }, schema: { type: 'string' }, reuse: { type: 'boolean', default: false }, loads: { type: 'string', default: '10' }, only: { type: 'string' } } });
const N = Number(values.spans);
const SPANS_PER_TRACE = 4;
const TRACES_PER_SESSION = 5;
const DAYS = 30;
const schema = values.schema ?? `bench_scale_${process.pid}`;
const LOADS = Number(values.loads);
const out = (o: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(o)}\n`);
const q = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] as number;

const store = await openStore(values.url, { schema });
try {
  const project = await store.projects.ensure('scale');
  // A reused schema: its span count as the planner's statistics hold it (a count(*) would read it all),
  // and "now" is the newest span's time plus a minute, as when it was seeded.
  const seeded = values.reuse
    ? await sql<{ n: string; last: string }>`select (select sum(c.reltuples) from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'spans'::regclass) as n, (select max(start_time_ms) from spans where project_id = ${project.id}) as last`.execute(store.db)
    : undefined;
  const now = seeded ? Number(seeded.rows[0]!.last) + 60_000 : Date.now();
  if (seeded && Math.abs(Number(seeded.rows[0]!.n) - N) > 0.05 * N) throw new Error(`schema ${schema} holds about ${seeded.rows[0]!.n} spans, not --spans ${N}`);
  if (!seeded) {
  for (let d = 1; d <= DAYS; d++) await ensureSpanPartition(store.db, dayStart(now) - d * DAY_MS);

  // Four template spans (root agent, LLM, tool, retriever-like child) taken from the realistic bodies.
  const { templates } = buildTemplates(1);
  const decoded = decodeOtlpProtobuf(Buffer.from(templates[0]!.body));
  if (!decoded.ok) throw decoded.error;
  const spans = mapOtlpSpans(decoded.spans, { nowMs: now }).spans;
  const root = spans.find((s) => !s.parentSpanId)!;
  const children = spans.filter((s) => s.traceId === root.traceId && s.parentSpanId).slice(0, SPANS_PER_TRACE - 1);
  const family = [root, ...children];
  const docs = family.map((s) =>
    JSON.stringify({ ...s, traceId: '__T__', spanId: '__S__', ...(s.parentSpanId ? { parentSpanId: '__P__' } : {}), sessionId: '__SESSION__', startTimeMs: 1111111111111, endTimeMs: 2222222222222 }),
  );
  out({ phase: 'template', spansPerTrace: family.length, documentBytes: docs.map((d) => d.length), kinds: family.map((s) => s.kind) });

  const started = performance.now();
  const CHUNK = 200_000;
  for (let from = 0; from < N; from += CHUNK) {
    const to = Math.min(N, from + CHUNK) - 1;
    // n → trace n / 4, position n % 4 (ids offset by 4096: an all-zero id is invalid); start times spread evenly over DAYS days before now.
    await sql`
      insert into spans (project_id, trace_id, span_id, parent_span_id, name, kind, status, start_time_ms, end_time_ms, duration_ms, model, session_id, user_id, release, service_name, input_tokens, output_tokens, cost_usd, document, received_at)
      select ${project.id}, t.trace_id, t.span_id, t.parent_id, f.name, f.kind, f.status, t.start_ms, t.start_ms + f.duration, f.duration, f.model, t.session_id, 'user-' || (t.k % 5000), 'r1', 'bench', f.input_tokens, f.output_tokens, f.cost,
        replace(replace(replace(replace(replace(replace(f.doc, '__T__', t.trace_id), '__S__', t.span_id), '__P__', t.root_id), '__SESSION__', t.session_id), '1111111111111', t.start_ms::bigint::text), '2222222222222', (t.start_ms + f.duration)::bigint::text),
        to_char(to_timestamp(t.start_ms / 1000.0) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      from (
        select n, n / ${SPANS_PER_TRACE} as k, n % ${SPANS_PER_TRACE} as pos,
          lpad(to_hex(n / ${SPANS_PER_TRACE} + 4096), 32, '0') as trace_id,
          lpad(to_hex(n + 4096), 16, '0') as span_id,
          case when n % ${SPANS_PER_TRACE} = 0 then null else lpad(to_hex(n - n % ${SPANS_PER_TRACE} + 4096), 16, '0') end as parent_id,
          lpad(to_hex(n - n % ${SPANS_PER_TRACE} + 4096), 16, '0') as root_id,
          'sess-' || (n / ${SPANS_PER_TRACE * TRACES_PER_SESSION}) as session_id,
          ${now - DAYS * DAY_MS}::double precision + (n / ${SPANS_PER_TRACE})::double precision * ${(DAYS * DAY_MS - 60_000) / Math.ceil(N / SPANS_PER_TRACE)} + (n % ${SPANS_PER_TRACE}) as start_ms
        from generate_series(${from}::bigint, ${to}::bigint) as n
      ) t
      join (values ${sql.join(family.map((s, i) => sql`(${i}::int, ${s.name}, ${s.kind}, ${s.status}, ${s.durationMs}::double precision, ${s.model ?? null}, ${s.usage.inputTokens ?? null}::int, ${s.usage.outputTokens ?? null}::int, ${s.costUsd ?? null}::double precision, ${docs[i]})`))})
        as f(pos, name, kind, status, duration, model, input_tokens, output_tokens, cost, doc) on f.pos = t.pos`.execute(store.db);
  }
  const seedMs = performance.now() - started;
  await sql`analyze spans`.execute(store.db);
  await sql`analyze span_sessions`.execute(store.db);
  const size = await sql<{ total: string; docs: string }>`
    select sum(pg_total_relation_size(c.oid))::bigint as total, sum(pg_relation_size(c.oid) + coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0))::bigint as docs
    from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'spans'::regclass`.execute(store.db);
  const total = Number(size.rows[0]!.total);
  out({ phase: 'seed', spans: N, seconds: +(seedMs / 1000).toFixed(1), totalMiB: Math.round(total / 2 ** 20), mibPerMillionSpans: Math.round(total / 2 ** 20 / (N / 1e6)), heapAndToastMiB: Math.round(Number(size.rows[0]!.docs) / 2 ** 20) });
  }

  const viewer = (await store.apiKeys.create({ role: 'viewer', projectId: project.id, createdBy: 'bench' })).plaintext;
  const server = await startServer({ store, port: 0, host: '127.0.0.1' });
  try {
    const traces = Math.ceil(N / SPANS_PER_TRACE);
    const pick = (i: number): number => Math.floor(((i * 7919) % 1000) / 1000 * traces);
    const first = (await (await fetch(`${server.url}/api/v1/projects/scale/sessions?limit=50`, { headers: { authorization: `Bearer ${viewer}` } })).json()) as { nextCursor?: string };
    const sessionCursor = first.nextCursor ?? '';
    const pages: [string, (i: number) => string][] = [
      ['trace list (newest 50)', () => '/traces?limit=50'],
      ['one trace', (i) => `/traces/${(pick(i) + 4096).toString(16).padStart(32, '0')}`],
      ['session list (newest 50)', () => '/sessions?limit=50'],
      ['session list, page 2 (cursor)', () => `/sessions?limit=50&cursor=${encodeURIComponent(sessionCursor)}`],
      ['session list, one user', () => '/sessions?limit=50&user=user-42'],
      ['one session', (i) => `/sessions/sess-${Math.floor(pick(i) / TRACES_PER_SESSION)}`],
      ['trace list, one user, last 7 days', () => `/traces?limit=50&user=user-42&since=${now - 7 * DAY_MS}`],
    ];
    for (const [name, path] of pages) {
      if (values.only !== undefined && !name.includes(values.only)) continue;
      const times: number[] = [];
      for (let i = 0; i <= LOADS; i++) {
        const t0 = performance.now();
        const res = await fetch(`${server.url}/api/v1/projects/scale${path(i)}`, { headers: { authorization: `Bearer ${viewer}` } });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${name}: ${res.status} ${body.slice(0, 200)}`);
        if (i > 0) times.push(performance.now() - t0);
      }
      out({ phase: 'page', name, p50Ms: Math.round(q(times, 0.5)), p90Ms: Math.round(q(times, 0.9)), maxMs: Math.round(Math.max(...times)) });
    }
  } finally {
    await server.close();
  }
  // A kept schema keeps every span, so that a later --reuse run times the pages at the same N.
  if (!values.reuse && !values.keep) {
    const r0 = performance.now();
    const retention = await enforceSpanRetention(store.db, 'postgres', dayStart(now) - (DAYS - 10) * DAY_MS);
    out({ phase: 'retention (10 oldest days)', ms: Math.round(performance.now() - r0), ...retention });
  }
} finally {
  await store.close();
  if (!values.keep && !values.reuse) {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: values.url });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  }
}
