/**
 * A short ingest measurement for working on the write path (not a bench of record): one fresh
 * database, `evalops serve` as a child, a warm-up and one closed-loop phase, optionally an overload
 * burst, then the loss check. Prints one JSON line per phase.
 *
 *   node bench/ingest/quick-ingest.mjs [--db sqlite|postgres] [--seconds 10] [--senders 4] [--overload 512,1024]
 *     [--entry dist/cli/main.js] [--prof DIR (node --cpu-prof of every thread)]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, WORK_DIR } from '../lib/paths.mjs';
import { quantile } from '../lib/stats.mjs';
import { postgresDatabase, sqliteDatabase } from './bench-database.mjs';
import { driveLoad } from './load-generator.mjs';
import { BodyStamper, buildTemplates } from './otlp-bodies.mjs';
import { cpuMeter } from './process-cpu.mjs';
import { createKey, rssSampler, startServe } from './serve-process.mjs';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    seconds: { type: 'string', default: '10' },
    senders: { type: 'string', default: '4' },
    overload: { type: 'string', default: '' },
    entry: { type: 'string' },
    prof: { type: 'string' },
  },
});
const postgres = values.db === 'postgres';
const { templates } = buildTemplates(8);
const stamper = new BodyStamper(templates);
const db = postgres ? await postgresDatabase() : await sqliteDatabase(WORK_DIR);
let acked = 0;
try {
  const server = await startServe({
    databaseUrl: db.url,
    ...(values.entry ? { entry: join(REPO_ROOT, values.entry) } : {}),
    ...(values.prof ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${values.prof}`] } : {}),
  });
  try {
    const key = createKey(server.env, 'ingest', 'bench');
    const run = async (name, senders, durationMs) => {
      const cpu = cpuMeter(server.pid, { postgres });
      const rss = rssSampler(server.pid);
      const t = await driveLoad({ url: server.url, key, stamper, senders, durationMs });
      const c = cpu.stop();
      acked += t.spansAcked;
      const l = t.latenciesMs;
      process.stdout.write(
        `${JSON.stringify({
          phase: name,
          spansPerS: Math.round(t.spansAcked / (t.elapsedMs / 1000)),
          p50: Math.round(quantile(l, 0.5)),
          p99: Math.round(quantile(l, 0.99)),
          retries: t.retries,
          gaveUp: t.gaveUp,
          errors: t.errors,
          serveCores: +(c.serverMs / c.wallMs).toFixed(2),
          pgCores: c.postgresMs === undefined ? undefined : +(c.postgresMs / c.wallMs).toFixed(2),
          serveUsPerSpan: +((c.serverMs * 1000) / t.spansAcked).toFixed(1),
          mainThreadUsPerSpan: +((c.serverMainThreadMs * 1000) / t.spansAcked).toFixed(1),
          writerThreadUsPerSpan: +((c.serverBusiestOtherThreadMs * 1000) / t.spansAcked).toFixed(1),
          mainThreadCores: +(c.serverMainThreadMs / c.wallMs).toFixed(2),
          pgUsPerSpan: c.postgresMs === undefined ? undefined : +((c.postgresMs * 1000) / t.spansAcked).toFixed(1),
          machineBusy: +c.machineBusy.toFixed(2),
          peakRssMiB: Math.round(rss.stop() / 1024),
        })}\n`,
      );
    };
    await run('warmup', Number(values.senders), 3000);
    await run('sustained', Number(values.senders), Number(values.seconds) * 1000);
    for (const n of values.overload.split(',').filter(Boolean)) await run(`overload-${n}`, Number(n), 8000);
  } finally {
    await server.stop();
  }
  const stored = await db.countSpans('bench');
  process.stdout.write(`${JSON.stringify({ acked, stored, lossFree: acked === stored })}\n`);
} finally {
  await db.drop();
}
