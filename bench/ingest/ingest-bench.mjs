/**
 * Budget (issue 4): sustained OTLP/HTTP protobuf ingest from a load generator on the same machine,
 * batches of 512 spans: ≥ 30,000 spans/s on SQLite with zero loss (count acknowledged = count
 * stored), p99 request latency at half that rate; the same on PostgreSQL; memory bounded under
 * overload.
 *
 * Per database: `evalops serve --port 0` as a child process on a fresh database, an ingest key from
 * `evalops keys create`, then from this process: a warm-up, a closed-loop sustained phase (the
 * measured rate), a paced phase at half that rate (latency), two overload bursts of hundreds of
 * senders (503 + Retry-After honoured, peak RSS compared), a graceful stop, and the stored span count read
 * from the database against the acknowledged count. When the sustained budget is missed, the serve
 * process is profiled (`node --cpu-prof` on the unbundled dist/cli/main.js, so samples name source
 * files) and the time split into ingest stages; on SQLite the write itself is then taken apart
 * (bench/ingest/sqlite-write-breakdown.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BENCH_DIR, REPO_ROOT, WORK_DIR } from '../lib/paths.mjs';
import { fmt, quantile } from '../lib/stats.mjs';
import { tail } from '../lib/timed-process.mjs';
import { postgresDatabase, sqliteDatabase } from './bench-database.mjs';
import { summariseProfile } from './cpu-profile-summary.mjs';
import { driveLoad } from './load-generator.mjs';
import { BodyStamper, SPANS_PER_BODY, buildTemplates } from './otlp-bodies.mjs';
import { cpuMeter } from './process-cpu.mjs';
import { createKey, rssSampler, serveEnv, startServe } from './serve-process.mjs';

const BUDGET_SPANS_PER_S = 30_000;
/**
 * "Memory stays bounded under overload", made testable: with twice the concurrent senders (both
 * levels beyond what the server keeps up with) the server's peak RSS may grow by at most this factor
 * (a bounded server plateaus; one that buffers whatever arrives grows with the offered load).
 */
const OVERLOAD_GROWTH_BOUND = 1.25;
const PROJECT = 'bench';

const DEFAULTS = {
  warmupMs: 3_000,
  sustainedMs: 20_000,
  sustainedSenders: 4,
  halfRateMs: 15_000,
  halfRateSenders: 8,
  overloadMs: 8_000,
  overloadSenders: [512, 1024],
  profileMs: 10_000,
  /** Spans written per variant by the SQLite write breakdown (about what the server holds after the sustained phase). */
  breakdownSpans: 256_000,
};

const mib = (kib) => kib / 1024;
const perS = (tally) => tally.spansAcked / (tally.elapsedMs / 1000);
const cores = (ms, wallMs) => (ms === undefined ? '–' : (ms / wallMs).toFixed(2));

/** One measured phase: load, CPU split and the server's peak RSS meanwhile. */
async function phase(server, key, stamper, load, { postgres }) {
  const cpu = cpuMeter(server.pid, { postgres });
  const rss = rssSampler(server.pid);
  const tally = await driveLoad({ url: server.url, key, stamper, ...load });
  return { tally, cpu: cpu.stop(), peakRssKiB: rss.stop() };
}

function lossOf(tally) {
  return Object.values(tally.errors).reduce((a, b) => a + b, 0);
}

/** Failed requests by kind, summed over tallies. */
function errorKinds(tallies) {
  const kinds = {};
  for (const t of tallies) for (const [kind, n] of Object.entries(t.errors)) kinds[kind] = (kinds[kind] ?? 0) + n;
  return kinds;
}

function failedText(tally) {
  const n = lossOf(tally);
  return n === 0 ? '0' : `${n} ${JSON.stringify(tally.errors)}`;
}

/** Reads a few acknowledged traces back through the API with a viewer key: each must have 8 spans. */
async function spotCheck(url, viewerKey, traceIds) {
  const problems = [];
  for (const traceId of traceIds) {
    const res = await fetch(`${url}/api/v1/projects/${PROJECT}/traces/${traceId}`, { headers: { authorization: `Bearer ${viewerKey}` } });
    const body = res.status === 200 ? await res.json() : undefined;
    if (res.status !== 200 || body.spans.length !== 8) problems.push(`${traceId}: HTTP ${res.status}, ${body?.spans.length ?? 0} spans`);
  }
  return problems;
}

async function benchDatabase(db, stamper, o) {
  const postgres = db.label === 'PostgreSQL';
  const server = await startServe({ databaseUrl: db.url });
  try {
    if (!server.adminKey) throw new Error(`evalops serve printed no admin key on first start: ${tail(server.stderr())}`);
    const ingestKey = createKey(server.env, 'ingest', PROJECT);
    const viewerKey = createKey(server.env, 'viewer', PROJECT);
    const warmup = await phase(server, ingestKey, stamper, { senders: o.sustainedSenders, durationMs: o.warmupMs }, { postgres });
    const sustained = await phase(server, ingestKey, stamper, { senders: o.sustainedSenders, durationMs: o.sustainedMs }, { postgres });
    const halfRateSpans = perS(sustained.tally) / 2;
    const half = await phase(server, ingestKey, stamper, { senders: o.halfRateSenders, durationMs: o.halfRateMs, ratePerSecond: halfRateSpans / SPANS_PER_BODY }, { postgres });
    const overload = [];
    for (const senders of o.overloadSenders) {
      await sleep(1000);
      overload.push({ senders, ...(await phase(server, ingestKey, stamper, { senders, durationMs: o.overloadMs }, { postgres })) });
    }
    const phases = [warmup, sustained, half, ...overload];
    const traceIds = [sustained, half, ...overload].flatMap((p) => [p.tally.firstAckedTraceId, p.tally.lastAckedTraceId]).filter(Boolean);
    const spotProblems = await spotCheck(server.url, viewerKey, traceIds);
    const memory = server.memory();
    const stop = await server.stop();
    const acked = phases.reduce((a, p) => a + p.tally.spansAcked, 0);
    const stored = await db.countSpans(PROJECT);
    return {
      label: db.label,
      sustained,
      half,
      halfRateSpans,
      overload,
      acked,
      stored,
      errors: phases.reduce((a, p) => a + lossOf(p.tally), 0),
      rejected: phases.reduce((a, p) => a + p.tally.spansRejected, 0),
      spotChecked: traceIds.length,
      spotProblems,
      hwmKiB: memory.hwmKiB,
      stopCode: stop.code,
    };
  } finally {
    await server.stop();
  }
}

/** Profiles the serve process (unbundled, so samples name files) under the sustained load. */
async function profileDatabase(db, stamper, o) {
  const dir = join(WORK_DIR, 'ingest-profile', db.label.toLowerCase());
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // The key first (the CLI migrates the fresh database), so the profile holds no wait for it.
  const key = createKey(serveEnv(db.url), 'ingest', PROJECT);
  const server = await startServe({ databaseUrl: db.url, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`], entry: join(REPO_ROOT, 'dist/cli/main.js') });
  let tally;
  let cpu;
  try {
    const meter = cpuMeter(server.pid, { postgres: db.label === 'PostgreSQL' });
    tally = await driveLoad({ url: server.url, key, stamper, senders: o.sustainedSenders, durationMs: o.profileMs });
    cpu = meter.stop();
  } finally {
    await server.stop();
  }
  // One profile per thread (the event loop, and on SQLite the writer and checkpointer threads): the
  // busiest ones, as separate tables.
  const threads = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => ({ file: join(dir, f), ...summariseProfile(join(dir, f)) }))
    .map((t) => ({ ...t, busyMs: t.stages.filter((st) => !st.stage.startsWith('idle')).reduce((a, st) => a + st.ms, 0) }))
    .filter((t) => t.busyMs > 0.05 * t.totalMs)
    .sort((a, b) => b.busyMs - a.busyMs);
  if (threads.length === 0) throw new Error(`no .cpuprofile in ${dir}`);
  return { rate: perS(tally), spans: tally.spansAcked, cpu, threads };
}

/** The SQLite write taken apart by schema and statement variants (TypeScript, through tsx). */
function sqliteWriteBreakdown(spans) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(BENCH_DIR, 'ingest/sqlite-write-breakdown.ts'), '--json', '--spans', String(spans)], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 16 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`sqlite-write-breakdown exited ${r.status} (its stderr is above)`);
  return JSON.parse(r.stdout);
}

function phaseCells(p) {
  const l = p.tally.latenciesMs;
  return {
    rate: fmt(perS(p.tally)),
    requests: `${p.tally.okRequests} (${(p.tally.spansAcked).toLocaleString('en')} spans)`,
    latency: `${fmt(quantile(l, 0.5))} / ${fmt(quantile(l, 0.99))} / ${fmt(Math.max(...l))}`,
    cpu: `${cores(p.cpu.serverMs, p.cpu.wallMs)} (event loop ${cores(p.cpu.serverMainThreadMs, p.cpu.wallMs)}, busiest other thread ${cores(p.cpu.serverBusiestOtherThreadMs, p.cpu.wallMs)}) / ${cores(p.cpu.postgresMs, p.cpu.wallMs)} / ${cores(p.cpu.loadGeneratorMs, p.cpu.wallMs)} (machine ${(p.cpu.machineBusy * 100).toFixed(0)} % of ${p.cpu.cpus})`,
    rss: fmt(mib(p.peakRssKiB)),
  };
}

/** @param {{ runs?: number }} [_options] */
export async function runIngestBench(_options = {}, overrides = {}) {
  const o = { ...DEFAULTS, ...overrides };
  const { templates, bytesPerBody, buildMs } = buildTemplates(8);
  const stamper = new BodyStamper(templates);
  mkdirSync(WORK_DIR, { recursive: true });

  const results = [];
  const profiles = [];
  let pgSettings;
  for (const make of [() => sqliteDatabase(WORK_DIR), () => postgresDatabase()]) {
    const db = await make();
    try {
      if (db.serverVersion) pgSettings = await db.serverVersion();
      const r = await benchDatabase(db, stamper, o);
      results.push(r);
      process.stderr.write(`${r.label}: ${fmt(perS(r.sustained.tally))} spans/s sustained, stored ${r.stored} of ${r.acked} acknowledged\n`);
    } finally {
      await db.drop();
    }
    if (perS(results.at(-1).sustained.tally) < BUDGET_SPANS_PER_S) {
      const fresh = await make();
      try {
        profiles.push({ label: fresh.label, ...(await profileDatabase(fresh, stamper, o)) });
      } finally {
        await fresh.drop();
      }
    }
  }
  const breakdown = profiles.some((p) => p.label === 'SQLite') ? sqliteWriteBreakdown(o.breakdownSpans) : undefined;

  const cells = results.map((r) => ({ s: phaseCells(r.sustained), h: phaseCells(r.half), x: r.overload.map(phaseCells) }));
  const col = (f) => results.map((r, i) => f(r, cells[i]));
  const tables = [
    {
      title: 'Figures (latency: one request of 512 spans, send to answer, 2xx only; CPU in cores busy: serve / PostgreSQL / load generator)',
      headers: ['', ...results.map((r) => r.label)],
      rows: [
        [`**sustained** (closed loop, ${o.sustainedSenders} senders, ${o.sustainedMs / 1000} s): spans/s accepted`, ...col((r, c) => `**${c.s.rate}**`)],
        ['sustained: 2xx requests', ...col((r, c) => c.s.requests)],
        ['sustained: latency p50 / p99 / max ms', ...col((r, c) => c.s.latency)],
        ['sustained: CPU', ...col((r, c) => c.s.cpu)],
        [`**half rate** (paced, ${o.halfRateSenders} senders, ${o.halfRateMs / 1000} s): offered → accepted spans/s (requests started late)`, ...col((r, c) => `${fmt(r.halfRateSpans)} → ${c.h.rate} (${r.half.tally.lateStarts})`)],
        ['half rate: latency p50 / **p99** / max ms', ...col((r, c) => c.h.latency)],
        ['half rate: CPU', ...col((r, c) => c.h.cpu)],
        ...o.overloadSenders.flatMap((senders, i) => [
          [`**overload** ${senders} senders (closed loop, ${o.overloadMs / 1000} s): spans/s accepted`, ...col((r, c) => c.x[i].rate)],
          [`overload ${senders}: answers 503/429 (each honoured: waited Retry-After, re-sent) / bodies given up after refusals`, ...col((r) => `${r.overload[i].tally.retries + r.overload[i].tally.gaveUp} ${JSON.stringify(r.overload[i].tally.retryStatuses)} / ${r.overload[i].tally.gaveUp}`)],
          [`overload ${senders}: failed requests (no answer or another status)`, ...col((r) => failedText(r.overload[i].tally))],
          [`overload ${senders}: latency p50 / p99 / max ms`, ...col((r, c) => c.x[i].latency)],
          [`overload ${senders}: **server peak RSS MiB**`, ...col((r, c) => `**${c.x[i].rss}**`)],
        ]),
        ['server peak RSS MiB: sustained / half rate / whole run (VmHWM)', ...col((r, c) => `${c.s.rss} / ${c.h.rss} / ${fmt(mib(r.hwmKiB))}`)],
        ['spans acknowledged (2xx, all phases) → stored in the database', ...col((r) => `${r.acked.toLocaleString('en')} → ${r.stored.toLocaleString('en')}`)],
        ['failed requests, all phases / spans rejected in partial_success', ...col((r) => `${r.errors} / ${r.rejected}`)],
        ['acknowledged traces read back through the API (8 spans each)', ...col((r) => `${r.spotChecked - r.spotProblems.length} of ${r.spotChecked}`)],
      ],
    },
  ];
  for (const p of profiles) {
    for (const [n, t] of p.threads.entries()) {
      const threadName = n === 0 ? 'busiest thread' : `thread ${n + 1}`;
      tables.push({
        title: `Where the serve process's time goes, ${p.label}, ${threadName} (${t.file.replace(/^.*\//, '')}; node --cpu-prof, ${o.profileMs / 1000} s closed loop at ${fmt(p.rate)} spans/s; ${fmt(p.cpu.serverMs / p.spans * 1000, 1)} µs of serve CPU per span in all threads, postgres ${p.cpu.postgresMs === undefined ? '–' : fmt(p.cpu.postgresMs / p.spans * 1000, 1)} µs)`,
        headers: ['stage', 'ms', 'share', 'µs per span'],
        rows: t.stages.filter((s) => s.share >= 0.003).map((s) => [s.stage, fmt(s.ms), `${(s.share * 100).toFixed(1)} %`, fmt((s.ms * 1000) / p.spans, 1)]),
      });
    }
  }
  if (breakdown) {
    tables.push({
      title: `The SQLite write taken apart (bench/ingest/sqlite-write-breakdown.ts: ${breakdown.spans.toLocaleString('en')} spans of the same bodies decoded and mapped once, then written in transactions of ${breakdown.batchSpans} into a fresh file per variant; µs per span of write time over the last ${breakdown.tailSpans.toLocaleString('en')} spans, when the table is largest)`,
      headers: ['variant', 'µs per span (tail)', 'µs per span (whole)', 'ceiling spans/s (write alone)'],
      rows: breakdown.variants.map((v) => [v.name, fmt(v.tailUs, 1), fmt(v.wholeUs, 1), fmt(1e6 / v.tailUs)]),
    });
  }

  const verdicts = [];
  for (const r of results) {
    const rate = perS(r.sustained.tally);
    verdicts.push({ name: `${r.label}: sustained ingest`, pass: rate >= BUDGET_SPANS_PER_S, detail: `${fmt(rate)} spans/s vs budget ≥ ${BUDGET_SPANS_PER_S.toLocaleString('en')}` });
    const steadyFailed = lossOf(r.sustained.tally) + lossOf(r.half.tally);
    verdicts.push({
      name: `${r.label}: zero loss`,
      pass: r.stored === r.acked && steadyFailed === 0 && r.rejected === 0 && r.spotProblems.length === 0,
      detail: `stored ${r.stored.toLocaleString('en')} ${r.stored === r.acked ? '=' : '≠'} acknowledged ${r.acked.toLocaleString('en')} (all phases); failed requests in the sustained and half-rate phases ${steadyFailed}; spans rejected ${r.rejected}; ${r.spotProblems.length ? `API read-back problems: ${r.spotProblems.join('; ')}` : `${r.spotChecked} acknowledged traces read back through the API`}`,
    });
    const [low, high] = [r.overload[0], r.overload.at(-1)];
    const growth = high.peakRssKiB / low.peakRssKiB;
    const failed = r.overload.reduce((a, p) => a + lossOf(p.tally), 0);
    const refusals = r.overload.reduce((a, p) => a + p.tally.retries + p.tally.gaveUp, 0);
    const withoutRetryAfter = r.overload.reduce((a, p) => a + p.tally.withoutRetryAfter, 0);
    verdicts.push({
      name: `${r.label}: memory bounded under overload, every request answered`,
      pass: growth <= OVERLOAD_GROWTH_BOUND && failed === 0 && withoutRetryAfter === 0,
      detail: `peak RSS ${fmt(mib(low.peakRssKiB))} MiB with ${low.senders} senders → ${fmt(mib(high.peakRssKiB))} MiB with ${high.senders} (× ${growth.toFixed(2)}; bound × ${OVERLOAD_GROWTH_BOUND}); ${refusals} answers 503/429${withoutRetryAfter ? ` (${withoutRetryAfter} without Retry-After)` : ''}; ${failed} requests failed${failed ? ` ${JSON.stringify(errorKinds(r.overload.map((p) => p.tally)))}` : ''}`,
    });
  }

  const stampUs = Number(stamper.stampNs) / 1000 / stamper.seq;
  return {
    id: 'ingest',
    title: 'OTLP ingest: sustained OTLP/HTTP protobuf load, 512 spans per request',
    budget: `≥ ${BUDGET_SPANS_PER_S.toLocaleString('en')} spans/s sustained on SQLite and on PostgreSQL with zero loss (acknowledged = stored); p99 request latency at half the measured rate reported; memory bounded under overload (made testable: with ${o.overloadSenders.at(-1) / o.overloadSenders[0]}× the concurrent senders in overload, peak RSS grows at most × ${OVERLOAD_GROWTH_BOUND}), every overload request answered (2xx, or 503/429 with Retry-After)`,
    method: [
      `\`node bin/evalops.js serve --port 0\` as a child process on a fresh database (SQLite file under bench/.work; PostgreSQL: a database created for the run on 127.0.0.1:5432 and dropped after it${pgSettings ? `, server ${pgSettings.v}, fsync ${pgSettings.fs}, synchronous_commit ${pgSettings.sc}` : ''}); URL from its stdout, the first-start admin key from its stderr; ingest and viewer keys from \`evalops keys create --role … --project ${PROJECT} --json\`. Default serve settings: no redaction rules; write queue bounded by drain time (about 2 s of backlog at the measured commit rate, 16,384–100,000 spans), ≤ 8,192 spans per transaction, 2 transactions in flight; admission before the body is read (a full queue or 64 MiB of bodies in flight answers 503 + Retry-After); SQLite writes from a worker thread with its own connection.`,
      `Bodies: ${templates.length} OTLP ExportTraceServiceRequest bodies (${(bytesPerBody / 1024).toFixed(0)} KiB each) of ${SPANS_PER_BODY} spans — 64 OpenInference agent turns of 8 spans (AGENT root, 5 LLM spans with system + user messages, an answer or a tool call, token counts, model, session and user; 2 TOOL spans) — made by the OpenTelemetry SDK and serialised by the official ProtobufTraceSerializer before timing (${fmt(buildMs)} ms). Before each send the sender stamps fresh ids into its own copy in place: trace ids random(8)·request seq(4)·index(4) (random where they decide the index position, as real trace ids; unique by the suffix), span ids seq·index, times shifted 10 ms per request so start times rise as in real traffic (${fmt(stampUs)} µs per body). No two requests share a span, so nothing deduplicates.`,
      'Load generator: this process, node:http keep-alive (one socket per sender), closed loop (send again on answer) or paced (a shared schedule; a sender that finds its slot past starts at once). 429/503: wait Retry-After, re-send the same bytes (counted). 2xx counts 512 spans minus any partial_success.rejected_spans; anything else after 30 retries is a failed request.',
      `Phases on one server: warm-up ${o.warmupMs / 1000} s (not reported, counted in the loss check), sustained ${o.sustainedMs / 1000} s, paced at half the sustained rate ${o.halfRateMs / 1000} s, then two overload bursts, each after a 1 s pause: ${o.overloadSenders.join(' and ')} senders in closed loop for ${o.overloadMs / 1000} s (${o.overloadSenders.at(-1)} × 512 spans offered at once is far more than the queue's 2 s bound holds); refused bodies are re-sent after Retry-After until 15 s past the burst, then given up (never acknowledged, so not owed). Server RSS sampled every 100 ms (/proc/<pid>/status VmRSS) plus VmHWM at the end; CPU from /proc (utime + stime) of the serve child, the postgres processes and this process.`,
      'Loss check: after a graceful stop (SIGTERM), spans of the project counted in the database (better-sqlite3 read-only / pg) against the spans acknowledged over all phases — exactly, as ids are unique; the first and last acknowledged trace of each phase read back through GET /api/v1/projects/bench/traces/<id> with the viewer key.',
      ...(profiles.length ? [`Budget missed, so each missing database was profiled: a fresh server started as \`node --cpu-prof dist/cli/main.js serve\` (the unbundled build of the same code, so samples name the source files), ${o.profileMs / 1000} s closed loop, the profile split by bench/ingest/cpu-profile-summary.mjs into stages (each sample to the innermost frame of ours or of a package; JSON.stringify and native statement calls count for their caller). Profiles kept in bench/.work/ingest-profile/.`] : []),
    ],
    tables,
    verdicts,
    notes: [
      'The load generator, the serve process and PostgreSQL share the machine\'s CPUs; the CPU rows show how they split them.',
      ...results.filter((r) => r.stopCode !== 0).map((r) => `${r.label}: the serve process exited ${r.stopCode} on SIGTERM.`),
    ],
  };
}
