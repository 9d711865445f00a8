/**
 * What the span_sessions trigger (migration 027) costs a SQLite span write: the same realistic spans
 * (the ingest bench's bodies, decoded and mapped outside the timing; every root and LLM span names a
 * session) written through the store's insertRows into fresh files, with the trigger and with it
 * dropped, alternating A/B/A/B… so machine load falls on both. Only the write is timed.
 *
 *   node --import tsx bench/ingest/session-trigger-ab.ts [--spans 128000] [--rounds 3]
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { decodeOtlpProtobuf } from '../../src/ingest/decode-otlp-protobuf.js';
import { mapOtlpSpans } from '../../src/ingest/map-span.js';
import { appendSpanRow, type SpanColumnValue } from '../../src/store/span-row.js';
import { openStore } from '../../src/store/store.js';
import { BodyStamper, buildTemplates } from './otlp-bodies.mjs';

const { values } = parseArgs({ options: { spans: { type: 'string', default: '128000' }, rounds: { type: 'string', default: '3' } } });
const WORK_DIR = fileURLToPath(new URL('../.work/session-trigger-ab', import.meta.url));
const BATCH_BODIES = 4;
const batches = Math.ceil(Number(values.spans) / 512 / BATCH_BODIES);

const { templates } = buildTemplates(8);
const stamper = new BodyStamper(templates);
const buffer = stamper.newBuffer();
const spanBatches = Array.from({ length: batches }, () => {
  const spans = [];
  for (let i = 0; i < BATCH_BODIES; i++) {
    const decoded = decodeOtlpProtobuf(Buffer.from(stamper.next(buffer).body));
    if (!decoded.ok) throw decoded.error;
    spans.push(...mapOtlpSpans(decoded.spans, { nowMs: Date.now() }).spans);
  }
  return spans;
});
const total = spanBatches.reduce((n, b) => n + b.length, 0);
const named = spanBatches.reduce((n, b) => n + b.filter((s) => s.sessionId !== undefined).length, 0);

async function run(variant: 'trigger' | 'no trigger', round: number): Promise<number> {
  const path = join(WORK_DIR, `${variant.replace(' ', '-')}-${round}.db`);
  rmSync(path, { force: true });
  const store = await openStore(`sqlite:${path}`);
  try {
    const projectId = (await store.projects.ensure('ab')).id;
    if (variant === 'no trigger') await sql`drop trigger spans_span_sessions`.execute(store.db);
    const rows = spanBatches.map((spans) => {
      const values: SpanColumnValue[] = [];
      for (const span of spans) appendSpanRow(values, { projectId, span }, new Date().toISOString());
      return values;
    });
    const t0 = performance.now();
    for (const batch of rows) await store.spans.insertRows([batch]);
    return total / ((performance.now() - t0) / 1000);
  } finally {
    await store.close();
    rmSync(path, { force: true });
  }
}

mkdirSync(WORK_DIR, { recursive: true });
const results: Record<string, number[]> = { trigger: [], 'no trigger': [] };
for (let r = 0; r < Number(values.rounds); r++) {
  for (const variant of (r % 2 === 0 ? (['trigger', 'no trigger'] as const) : (['no trigger', 'trigger'] as const))) results[variant]!.push(Math.round(await run(variant, r)));
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
process.stdout.write(`${JSON.stringify({ spans: total, spansNamingASession: named, spansPerSecond: results, medianRatio: +(median(results['trigger']!) / median(results['no trigger']!)).toFixed(3) })}\n`);
