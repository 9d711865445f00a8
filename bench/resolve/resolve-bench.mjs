/**
 * Resolve (issue 17): how many resolve requests a server answers per core, its p99 at half that rate,
 * and what the SDK's resolver adds per call from its cache.
 *
 * - Server: a real `evalops serve --no-worker` on SQLite with a live release and a 20% canary, both
 *   with configs (~0.5 KB answers). A raw-socket keep-alive load generator (bench/resolve/load-client.mjs,
 *   one request in flight per connection, 32 connections) asks for 10,000 distinct subjects in turn
 *   for 5 s. The load generator shares the machine's cores with the server, so the wall-clock rate is
 *   bounded by both; the per-core figure divides the requests answered by the CPU time the server
 *   process itself used (utime + stime from /proc), i.e. requests per second of one core.
 * - p99: open loop at half the per-core rate (capped at what the generator can offer), latency from
 *   each request's due time (no coordinated omission), 5 s.
 * - SDK: createResolver against the same server, after its first table; 1,000,000 resolve() calls on
 *   distinct subjects, with @opentelemetry/api loaded and (second row) an active span of a real
 *   NodeTracerProvider being stamped with evalops.release.
 * Budget (issue 17): ≥ 20,000 requests/s per core, p99 ≤ 5 ms at half that rate, ≤ 0.05 ms per SDK call.
 */
import { execFileSync, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EVALOPS_BIN, REPO_ROOT, WORK_DIR } from '../lib/paths.mjs';
import { fmt, quantile } from '../lib/stats.mjs';
import { buildRequests, closedLoop, openLoop } from './load-client.mjs';

const dist = async (path) => import(`${REPO_ROOT}/dist/${path}`);

/**
 * With two or more cores and `taskset`, the server runs on core 1 and this process (the load
 * generator) on core 0, so neither steals the other's core: the p99 is the server's, not the
 * scheduling of two busy processes on shared cores. EVALOPS_BENCH_PIN=0 turns it off.
 */
const PIN = process.env.EVALOPS_BENCH_PIN !== '0' && availableParallelism() >= 2 && hasTaskset();

function hasTaskset() {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Spawns `node args` on core 1 when pinning. */
function spawnServer(args, options) {
  return PIN ? spawn('taskset', ['-c', '1', process.execPath, ...args], options) : spawn(process.execPath, args, options);
}

function pinSelf() {
  if (PIN) execFileSync('taskset', ['-a', '-cp', '0', String(process.pid)], { stdio: 'ignore' });
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function seed(url) {
  const { openStore } = await dist('store/store.js');
  const store = await openStore(url);
  const shop = await store.projects.ensure('shop');
  const config = (tone) => ({
    prompts: { system: { template: `You are a ${tone} support bot for ACME. Cite the policy.` }, user: { template: 'Customer: {{input.question}}\nOrder: {{input.orderId}}' } },
    model: { id: 'openai:gpt-4.1-mini', parameters: { temperature: 0.2, maxTokens: 400 } },
    tools: [{ name: 'lookup_order', description: 'Find an order by id', parameters: { type: 'object', properties: { orderId: { type: 'string' } } } }],
  });
  const live = (await store.releaseConfigs.set(shop.id, '1.0.0', config('helpful'), 'bench')).release;
  await store.releases.apply(live.id, { type: 'gate', outcome: 'approve' }, 'bench');
  await store.releases.apply(live.id, { type: 'promote' }, 'bench');
  const canary = (await store.releaseConfigs.set(shop.id, '1.1.0', config('kind'), 'bench')).release;
  await store.releases.apply(canary.id, { type: 'gate', outcome: 'approve' }, 'bench');
  await store.releases.apply(canary.id, { type: 'promote', percent: 20 }, 'bench');
  const key = (await store.apiKeys.create({ role: 'resolve', projectId: shop.id, createdBy: 'bench' })).plaintext;
  await store.close();
  return key;
}

async function startServe(env) {
  const child = spawnServer([EVALOPS_BIN, 'serve', '--port', '0', '--no-worker'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const port = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(String(d));
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return { child, port };
}

/** Node's own ceiling on this machine now: a bare node:http server answering a body of the same size, same client. */
async function bareNodeCeiling(bodyBytes) {
  const code = `const http=require('node:http');const body=JSON.stringify({pad:'x'.repeat(${Math.max(0, bodyBytes - 10)})});http.createServer((q,r)=>{r.writeHead(200,{'content-type':'application/json','content-length':Buffer.byteLength(body)});r.end(body)}).listen(0,'127.0.0.1',function(){console.log('port '+this.address().port)})`;
  const child = spawnServer(['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve) => child.stdout.on('data', (d) => resolve(Number(/port (\d+)/.exec(String(d))[1]))));
  try {
    const requests = buildRequests(port, ['/x'], 'none');
    await closedLoop(port, requests, { connections: 32, ms: 1500 });
    const cpu0 = cpuSeconds(child.pid);
    const r = await closedLoop(port, requests, { connections: 32, ms: 5000 });
    return { done: r.done, ms: r.ms, cpu: cpuSeconds(child.pid) - cpu0 };
  } finally {
    child.kill('SIGKILL');
  }
}

async function sdkCost(port, key) {
  const { createResolver } = await dist('index.js');
  const api = await import('@opentelemetry/api');
  const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
  const resolver = createResolver({ url: `http://127.0.0.1:${port}`, key, project: 'shop', refreshMs: 5000 });
  await resolver.ready();
  if (resolver.status().etag === null) throw new Error(`the resolver got no table: ${resolver.status().lastError}`);
  const subjects = Array.from({ length: 1_000_000 }, (_, i) => `user-${i}`);
  const time = (label) => {
    for (let i = 0; i < 50_000; i++) resolver.resolve(subjects[i]);
    let canary = 0;
    const t0 = performance.now();
    for (const s of subjects) if (resolver.resolve(s).release === '1.1.0') canary++;
    const ms = performance.now() - t0;
    return { label, usPerCall: (ms * 1000) / subjects.length, canaryShare: canary / subjects.length };
  };
  const bare = time('from cache, no active span');
  const provider = new NodeTracerProvider();
  provider.register();
  const tracer = api.trace.getTracer('bench');
  let stamped;
  const withSpan = tracer.startActiveSpan('request', (span) => {
    const r = time('from cache, stamping an active span');
    stamped = span.attributes?.['evalops.release'];
    span.end();
    return r;
  });
  resolver.close();
  await provider.shutdown();
  if (stamped !== '1.1.0' && stamped !== '1.0.0') throw new Error(`the active span was not stamped (got ${stamped})`);
  return [bare, withSpan];
}

export async function runResolveBench() {
  const dir = join(WORK_DIR, 'resolve');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const url = `sqlite:${join(dir, 'evalops.db')}`;
  const key = await seed(url);
  pinSelf();
  const { child, port } = await startServe({ EVALOPS_DATABASE_URL: url });
  try {
    const paths = Array.from({ length: 10_000 }, (_, i) => `/api/v1/projects/shop/resolve?subject=user-${i}`);
    const requests = buildRequests(port, paths, key);
    await closedLoop(port, requests, { connections: 32, ms: 1500 }); // warm-up
    const cpu0 = cpuSeconds(child.pid);
    const closed = await closedLoop(port, requests, { connections: 32, ms: 5000 });
    const serverCpu = cpuSeconds(child.pid) - cpu0;
    if (closed.errors > 0 || closed.done === 0) throw new Error(`resolve answered ${closed.errors} errors of ${closed.done + closed.errors}`);
    const wallRate = closed.done / (closed.ms / 1000);
    const perCore = closed.done / serverCpu;
    const target = Math.min(perCore / 2, wallRate * 0.9);
    const fixed = [];
    for (const rate of [target, 2000]) {
      const cpu1 = cpuSeconds(child.pid);
      const open = await openLoop(port, requests, { rate, connections: 64, ms: 5000 });
      if (open.errors > 0) throw new Error(`resolve answered ${open.errors} errors at the fixed rate`);
      fixed.push({ rate, achieved: open.latencies.length / (open.ms / 1000), cores: (cpuSeconds(child.pid) - cpu1) / (open.ms / 1000), p50: quantile(open.latencies, 0.5), p99: quantile(open.latencies, 0.99), max: Math.max(...open.latencies) });
    }
    const { achieved, p99 } = fixed[0];
    const sampleBody = await (await fetch(`http://127.0.0.1:${port}${paths[0]}`, { headers: { authorization: `Bearer ${key}` } })).text();
    const bare = await bareNodeCeiling(Buffer.byteLength(sampleBody));
    const sdk = await sdkCost(port, key);
    return {
      title: 'Resolve: server requests per core, p99 at half that rate, SDK cost per call',
      budget: 'issue 17: ≥ 20,000 requests/s per core from the server; p99 ≤ 5 ms at half that rate; the SDK adds ≤ 0.05 ms per call from cache',
      method: [
        '`evalops serve --no-worker` on SQLite, a live release and a 20% canary with configs (~0.5 KB answers), a `resolve` key; 10,000 distinct subjects asked in turn',
        PIN ? 'pinned: the server on core 1 (`taskset -c 1`), the load generator on core 0, so they do not share a core' : 'not pinned (no taskset, one core, or EVALOPS_BENCH_PIN=0): client and server share the cores',
        'closed loop: raw-socket keep-alive client (bench/resolve/load-client.mjs), 32 connections, 5 s after a 1.5 s warm-up; per core = requests ÷ CPU seconds of the server process (/proc utime+stime), since the client shares the cores',
        'open loop at half the per-core rate (or 90% of the wall rate when the client cannot offer more), 64 connections, 5 s; latency from each request’s due time; the client’s 1 ms timer adds up to ~1 ms',
        'SDK: createResolver after its first table, 1,000,000 resolve() calls on distinct subjects after 50,000 warm-up calls; with @opentelemetry/api loaded, without and with an active span (real NodeTracerProvider) being stamped',
      ],
      tables: [
        {
          title: 'Server',
          headers: ['server', 'requests', 'wall s', 'wall req/s (client and server share the cores)', 'server CPU s', 'req per server CPU-second (per core)'],
          rows: [
            ['resolve', fmt(closed.done), fmt(closed.ms / 1000, 2), fmt(wallRate), fmt(serverCpu, 2), fmt(perCore)],
            [`bare node:http, same client, same body size (${Buffer.byteLength(sampleBody)} B): Node's ceiling here now`, fmt(bare.done), fmt(bare.ms / 1000, 2), fmt(bare.done / (bare.ms / 1000)), fmt(bare.cpu, 2), fmt(bare.done / bare.cpu)],
          ],
        },
        {
          title: 'Latency at a fixed rate',
          headers: ['offered req/s', 'answered req/s', 'server CPU (cores)', 'p50 ms', 'p99 ms', 'max ms'],
          rows: fixed.map((f) => [fmt(f.rate), fmt(f.achieved), fmt(f.cores, 2), fmt(f.p50, 2), fmt(f.p99, 2), fmt(f.max, 1)]),
        },
        { title: 'SDK', headers: ['case', 'µs per call', 'canary share'], rows: sdk.map((s) => [s.label, fmt(s.usPerCall, 2), `${fmt(s.canaryShare * 100, 2)} %`]) },
      ],
      verdicts: [
        { name: '≥ 20,000 requests/s per core', pass: perCore >= 20_000, detail: `${fmt(perCore)} per server CPU-second` },
        { name: 'p99 ≤ 5 ms at half that rate', pass: p99 <= 5 && target >= perCore / 2 - 1, detail: `p99 ${fmt(p99, 2)} ms at ${fmt(achieved)} req/s${target < perCore / 2 - 1 ? ` (the client could offer only ${fmt(target)} of ${fmt(perCore / 2)})` : ''}` },
        ...sdk.map((s) => ({ name: `SDK ≤ 0.05 ms per call (${s.label})`, pass: s.usPerCall <= 50, detail: `${fmt(s.usPerCall, 2)} µs` })),
      ],
      notes: [],
    };
  } finally {
    child.kill('SIGKILL');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { renderReport } = await import('../lib/markdown.mjs');
  process.stdout.write(`${renderReport(await runResolveBench())}\n`);
}
