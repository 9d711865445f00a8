/**
 * Micro-benchmark of the pure ingest path (not a test, not part of `npm run bench`): decode + map +
 * redact of a 512-span OTLP batch shaped like LLM traffic, made by the real SDK and serialised by the
 * official OTLP serialisers. Run: `npx tsx test/ingest/ingest-micro-bench.ts [RULES]`, RULES as for
 * `evalops serve --redact` (default: email,api_key,credit_card; `none` for no redaction, `default` for
 * the server's defaults).
 */
import { decodeOtlpJson } from '../../src/ingest/decode-otlp-json.js';
import { decodeOtlpProtobuf } from '../../src/ingest/decode-otlp-protobuf.js';
import { mapOtlpSpans } from '../../src/ingest/map-span.js';
import { createRedactor } from '../../src/ingest/redact.js';
import { redactionRulesFromList } from '../../src/ingest/redaction-rule.js';
import { jsonPayload, llmTraffic, protobufPayload } from './sdk-payloads.js';

const spans = llmTraffic(512);
const body = protobufPayload(spans);
const jsonText = JSON.stringify(jsonPayload(spans));
const rules = process.argv[2] === undefined ? ['email', 'api_key', 'credit_card'] : redactionRulesFromList(process.argv[2]);
const redactor = createRedactor(rules);
const nowMs = Date.now();
console.log(`redact: ${rules.join(',') || 'none'}; batch: ${spans.length} spans, ${body.length} bytes protobuf, ${jsonText.length} bytes JSON`);

function bench(name: string, run: () => number): void {
  for (let i = 0; i < 50; i++) run();
  const rounds = 400;
  const start = process.hrtime.bigint();
  let count = 0;
  for (let i = 0; i < rounds; i++) count += run();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`${name}: ${Math.round(count / (ms / 1000))} spans/s (${(ms / rounds).toFixed(2)} ms per batch)`);
}

function pipeline(decoded: ReturnType<typeof decodeOtlpProtobuf>): number {
  if (!decoded.ok) throw decoded.error;
  const mapped = mapOtlpSpans(decoded.spans, { nowMs });
  for (const span of mapped.spans) redactor.redactSpan(span);
  return mapped.spans.length;
}

bench('decode protobuf', () => {
  const decoded = decodeOtlpProtobuf(body);
  if (!decoded.ok) throw decoded.error;
  return decoded.spans.length;
});
bench('decode + map + redact, protobuf', () => pipeline(decodeOtlpProtobuf(body)));
bench('JSON.parse + decode + map + redact, JSON', () => pipeline(decodeOtlpJson(JSON.parse(jsonText))));

// `compare`: the cost of the server's default redaction against decode + map, in CPU time (less
// sensitive than wall time to other processes on a shared machine), the two interleaved, medians of 15.
if (process.argv[3] === 'compare') {
  const decoded = decodeOtlpProtobuf(body);
  if (!decoded.ok) throw decoded.error;
  const mappedSpans = mapOtlpSpans(decoded.spans, { nowMs }).spans;
  const defaults = createRedactor(redactionRulesFromList(undefined));
  const cpuMs = (run: () => void): number => {
    const start = process.cpuUsage();
    for (let i = 0; i < 20; i++) run();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000 / 20;
  };
  const decodeMap: number[] = [];
  const redactDefault: number[] = [];
  for (let round = 0; round < 15; round++) {
    decodeMap.push(
      cpuMs(() => {
        const again = decodeOtlpProtobuf(body);
        if (again.ok) mapOtlpSpans(again.spans, { nowMs });
      }),
    );
    redactDefault.push(cpuMs(() => mappedSpans.forEach((s) => defaults.redactSpan(s))));
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const a = median(decodeMap);
  const b = median(redactDefault);
  console.log(`CPU per ${mappedSpans.length}-span batch: decode + map ${a.toFixed(2)} ms, default redaction ${b.toFixed(2)} ms (+${((b / a) * 100).toFixed(1)}% of decode + map)`);
}
