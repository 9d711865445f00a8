/**
 * The ingest bench's load generator: concurrent senders POSTing OTLP protobuf bodies to /v1/traces
 * over keep-alive HTTP/1.1 (node:http, one socket per sender). A 2xx counts the body's spans as
 * acknowledged (minus any `partial_success.rejected_spans`); 429 and 503 are answered by waiting the
 * `Retry-After` and re-sending the same bytes (same ids), counted as retries; anything else (another
 * status, a reset connection) is a failed request. Two modes: closed loop (every sender sends again as soon as it has an answer: the sustained
 * maximum) and paced (a shared schedule of one request every `intervalMs`: a fixed offered rate).
 */
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { SPANS_PER_BODY } from './otlp-bodies.mjs';

/** The rejected-span count of an ExportTraceServiceResponse (protobuf), 0 when empty. */
export function rejectedSpansOf(bytes) {
  // ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1 } with
  // ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2 }.
  let i = 0;
  const varint = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[i++];
      if (b === undefined) throw new Error('truncated varint in the OTLP response');
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
      shift += 7;
    }
  };
  while (i < bytes.length) {
    const tag = varint();
    if (tag !== 0x0a) throw new Error(`unexpected field tag ${tag} in the OTLP response`);
    const end = varint() + i;
    while (i < end) {
      const inner = varint();
      if (inner === 0x08) return varint();
      if ((inner & 7) === 2) i += varint();
      else varint();
    }
  }
  return 0;
}

/** Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); 1 s when absent. */
function retryAfterMs(header) {
  if (header === undefined) return 1000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : 1000;
}

function post(agent, target, key, body) {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.request(
      { agent, host: target.hostname, port: target.port, path: '/v1/traces', method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-protobuf', 'content-length': body.length } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, retryAfter: res.headers['retry-after'], body: Buffer.concat(chunks), ms: performance.now() - started }));
        res.on('error', (e) => resolve({ status: 0, error: e.code ?? e.message, ms: performance.now() - started }));
      },
    );
    req.on('error', (e) => resolve({ status: 0, error: `${e.code ?? e.message}${req.reusedSocket ? ' (on a reused keep-alive socket)' : ''}`, ms: performance.now() - started }));
    req.end(body);
  });
}

function newTally() {
  return { requests: 0, okRequests: 0, spansAcked: 0, spansRejected: 0, retries: 0, retryStatuses: {}, withoutRetryAfter: 0, errors: {}, gaveUp: 0, latenciesMs: [], lateStarts: 0, firstAckedTraceId: undefined, lastAckedTraceId: undefined };
}

/**
 * Sends one body until it is acknowledged (honouring Retry-After on 429/503, at most `maxRetries`
 * re-sends, none that would start after `giveUpAt`), recording everything in `tally`.
 */
async function sendUntilAcked(agent, target, key, body, firstTraceId, tally, maxRetries, giveUpAt) {
  for (let attempt = 0; ; attempt++) {
    const r = await post(agent, target, key, body);
    tally.requests++;
    if (r.status >= 200 && r.status < 300) {
      const rejected = rejectedSpansOf(r.body);
      tally.okRequests++;
      tally.spansAcked += SPANS_PER_BODY - rejected;
      tally.spansRejected += rejected;
      tally.latenciesMs.push(r.ms);
      tally.firstAckedTraceId ??= firstTraceId;
      tally.lastAckedTraceId = firstTraceId;
      return;
    }
    if (r.status === 429 || r.status === 503) {
      tally.retryStatuses[r.status] = (tally.retryStatuses[r.status] ?? 0) + 1;
      const wait = retryAfterMs(r.retryAfter);
      if (r.retryAfter === undefined) tally.withoutRetryAfter++;
      if (attempt < maxRetries && performance.now() + wait < giveUpAt) {
        tally.retries++;
        await sleep(wait);
        continue;
      }
      // Refused to the end: nothing was acknowledged, so nothing is owed; counted apart from failures.
      tally.gaveUp++;
      return;
    }
    const what = r.status === 0 ? r.error : `HTTP ${r.status} ${r.body?.toString('utf8').slice(0, 200) ?? ''}`;
    tally.errors[what] = (tally.errors[what] ?? 0) + 1;
    return;
  }
}

/**
 * Drives load for `durationMs`: `senders` concurrent loops; with `ratePerSecond` requests are paced on
 * a shared schedule (a sender that finds its slot already past starts at once and counts a late
 * start), without it each sender sends again as soon as it is answered. No request starts after the
 * deadline; those in flight (and their retries) finish. Returns the tally and the elapsed time from the
 * first send to the last answer. A body refused (429/503) until `retryGraceMs` after the deadline is
 * given up (`gaveUp`): it was never acknowledged.
 * @param {{ url: string, key: string, stamper: import('./otlp-bodies.mjs').BodyStamper, senders: number,
 *   durationMs: number, ratePerSecond?: number, maxRetries?: number, retryGraceMs?: number }} options
 */
export async function driveLoad({ url, key, stamper, senders, durationMs, ratePerSecond, maxRetries = 30, retryGraceMs = 15_000 }) {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: senders, maxFreeSockets: senders });
  const tally = newTally();
  const started = performance.now();
  const deadline = started + durationMs;
  const giveUpAt = deadline + retryGraceMs;
  const intervalMs = ratePerSecond ? 1000 / ratePerSecond : 0;
  let ticket = 0;
  const cpuBefore = process.cpuUsage();
  const sender = async () => {
    const buffer = stamper.newBuffer();
    for (;;) {
      if (intervalMs > 0) {
        const slot = started + ticket++ * intervalMs;
        if (slot >= deadline) return;
        const wait = slot - performance.now();
        if (wait > 0) await sleep(wait);
        else if (wait < -intervalMs) tally.lateStarts++;
      } else if (performance.now() >= deadline) return;
      const { body, firstTraceId } = stamper.next(buffer);
      await sendUntilAcked(agent, target, key, body, firstTraceId, tally, maxRetries, giveUpAt);
    }
  };
  await Promise.all(Array.from({ length: senders }, sender));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  return { ...tally, elapsedMs, loadGenCpuMs: (cpu.user + cpu.system) / 1000 };
}
