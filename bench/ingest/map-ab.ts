/**
 * The mapping step of ingest, A against B in one process: `mapOtlpSpans` of a base commit's sources
 * (extracted to `--base DIR`, e.g. `git archive d3585c9 src | tar -x -C bench/.work/map-base`) against
 * this tree's, on the same decoded 512-span protobuf batches — OpenInference LLM traffic
 * (test/ingest/sdk-payloads.ts) and AI-SDK-shaped traffic (ai-sdk-traffic.ts). CPU time, A and B
 * alternated (and which goes first) in 15 rounds of 40 batches each (the machine is shared and noisy); prints the median µs per
 * span of each and the median of the per-round ratios B/A. Also decode + map + redact spans/s of this
 * tree for both shapes (the bench row for AI-SDK-shaped spans).
 *
 *   npx tsx bench/ingest/map-ab.ts --base bench/.work/map-base
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeOtlpProtobuf } from '../../src/ingest/decode-otlp-protobuf.js';
import { mapOtlpSpans } from '../../src/ingest/map-span.js';
import type { OtlpSpan } from '../../src/ingest/otlp-span.js';
import { createRedactor } from '../../src/ingest/redact.js';
import { redactionRulesFromList } from '../../src/ingest/redaction-rule.js';
import { llmTraffic, protobufPayload } from '../../test/ingest/sdk-payloads.js';
import { aiSdkTraffic } from './ai-sdk-traffic.js';

const { values } = parseArgs({ options: { base: { type: 'string' }, rounds: { type: 'string', default: '15' } } });
type MapFn = typeof mapOtlpSpans;
const mapBase: MapFn | undefined = values.base === undefined ? undefined : ((await import(resolve(values.base, 'src/ingest/map-span.ts'))) as { mapOtlpSpans: MapFn }).mapOtlpSpans;
const nowMs = Date.now();
const BATCHES = 40;

function decoded(body: Uint8Array): OtlpSpan[] {
  const result = decodeOtlpProtobuf(body);
  if (!result.ok) throw result.error;
  return result.spans;
}

function cpuMicrosPerSpan(map: MapFn, spans: OtlpSpan[]): number {
  const start = process.cpuUsage();
  for (let i = 0; i < BATCHES; i++) map(spans, { nowMs });
  const used = process.cpuUsage(start);
  return (used.user + used.system) / (BATCHES * spans.length);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const shapes = { openinference: protobufPayload(llmTraffic(512)), 'ai-sdk': protobufPayload(aiSdkTraffic(512)) };
const redactor = createRedactor(redactionRulesFromList(undefined));
for (const [shape, body] of Object.entries(shapes)) {
  const spans = decoded(body);
  for (let i = 0; i < 30; i++) mapOtlpSpans(spans, { nowMs });
  if (mapBase !== undefined) {
    for (let i = 0; i < 30; i++) mapBase(spans, { nowMs });
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < Number(values.rounds); r++) {
      // Which goes first alternates, so neither always runs on a warmer cache.
      if (r % 2 === 0) a.push(cpuMicrosPerSpan(mapBase, spans));
      b.push(cpuMicrosPerSpan(mapOtlpSpans, spans));
      if (r % 2 === 1) a.push(cpuMicrosPerSpan(mapBase, spans));
    }
    const ratios = a.map((x, i) => b[i]! / x);
    console.log(JSON.stringify({ shape, spans: spans.length, baseMicrosPerSpan: +median(a).toFixed(3), thisMicrosPerSpan: +median(b).toFixed(3), medianRatio: +median(ratios).toFixed(3), ratios: ratios.map((x) => +x.toFixed(3)) }));
  }
  // decode + map + default redaction, wall time, this tree: the pipeline's rate for this shape.
  const start = process.hrtime.bigint();
  let count = 0;
  for (let i = 0; i < 100; i++) {
    const mapped = mapOtlpSpans(decoded(body), { nowMs });
    for (const span of mapped.spans) redactor.redactSpan(span);
    count += mapped.spans.length;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({ shape, bytesPerBatch: body.length, decodeMapRedactSpansPerSecond: Math.round(count / seconds) }));
}
