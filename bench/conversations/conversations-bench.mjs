/**
 * Bench: conversations. 200 scenarios × up to 6 turns (scenario i has maxTurns 1 + i mod 6) against the
 * local fake OpenAI server (test/support/fake-openai-server.ts, started in this process) answering
 * every request after 100 ms — both the `model` target and the model simulated user, which never says
 * done, so each scenario runs exactly maxTurns turns: 1 opening + 2 × maxTurns sequential calls.
 * Concurrency 32; the CLI runs as a child process under GNU time. Budget: wall time ≤ 1.25 × the ideal
 * (the sum of every scenario's sequential call latencies ÷ 32). Each run is broken down from the
 * server's request arrival times: start-up (spawn → first request), the request phase against the
 * schedule a perfect pool would keep (longest first, no CPU cost per call), and the tail (last answer →
 * exit); `evalops --version` is the process floor. Then a 10,000-scenario run against
 * instant-openai-server.mjs (a bare server in its own process answering at once) whose peak RSS must
 * stay under 300 MiB.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';
import { EVALOPS_BIN, REPO_ROOT, WORK_DIR } from '../lib/paths.mjs';
import { fmt, median } from '../lib/stats.mjs';
import { tail, timedProcess } from '../lib/timed-process.mjs';

const DIR = `${WORK_DIR}/conversations`;
const RATIO_BUDGET = 1.25;
const RSS_BUDGET_MIB = 300;
const LATENCY_MS = 100;
const CONCURRENCY = 32;

function writeProject(name, n, baseURL) {
  const dir = `${DIR}/${name}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(`${dir}/data`, { recursive: true });
  const rows = [];
  for (let i = 0; i < n; i++) {
    rows.push(JSON.stringify({ id: `s-${String(i).padStart(5, '0')}`, scenario: { persona: 'a customer', goal: `get a refund for order ${i}`, facts: { order: String(i) }, maxTurns: 1 + (i % 6) } }));
  }
  writeFileSync(`${dir}/data/scenarios.jsonl`, `${rows.join('\n')}\n`);
  writeFileSync(
    `${dir}/evalops.yaml`,
    [
      'version: 1',
      `project: bench-conv-${name}`,
      'providers:',
      `  local: { kind: openai-compatible, baseURL: "${baseURL}" }`,
      'target: { type: model, model: local:bench-target, system: "You are a support agent." }',
      'simulatedUser: { type: model, model: local:bench-user }',
      `dataset: { name: scenarios-${n}, path: ./data/scenarios.jsonl }`,
      'metrics:',
      '  - name: refunded',
      '    scorer: { type: icontains, value: "refund" }',
      `run: { concurrency: ${CONCURRENCY}, cache: false }`,
      '',
    ].join('\n'),
  );
  return dir;
}

/** Each scenario's sequential calls: the opening, then a target answer and a user answer per turn. */
function idealMs(n, latencyMs) {
  let calls = 0;
  for (let i = 0; i < n; i++) calls += 1 + 2 * (1 + (i % 6));
  return { calls, ms: (calls * latencyMs) / CONCURRENCY };
}

/** The makespan of `durations` run by `slots` workers taking the next job as soon as one frees. */
function listSchedule(durations, slots) {
  const free = new Array(slots).fill(0);
  for (const d of durations) {
    let i = 0;
    for (let j = 1; j < slots; j++) if (free[j] < free[i]) i = j;
    free[i] += d;
  }
  return Math.max(...free);
}

function scheduleMs(n, latencyMs) {
  const durations = Array.from({ length: n }, (_, i) => (1 + 2 * (1 + (i % 6))) * latencyMs);
  return { datasetOrder: listSchedule(durations, CONCURRENCY), longestFirst: listSchedule([...durations].sort((a, b) => b - a), CONCURRENCY) };
}

async function versionMs() {
  const res = await timedProcess(process.execPath, [EVALOPS_BIN, '--version'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' } });
  if (res.code !== 0) throw new Error(`evalops --version exited ${res.code}`);
  return res.wallMs;
}

async function runCli(dir, server) {
  const before = server.calls.length;
  const res = await timedProcess(process.execPath, [EVALOPS_BIN, 'run', '--json'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: DIR, LANG: 'C.UTF-8', EVALOPS_DATABASE_URL: `sqlite:${dir}/evalops.db` },
  });
  if (res.code !== 0) throw new Error(`evalops exited ${res.code}: ${tail(res.stderr)}`);
  return { ...res, summary: JSON.parse(res.stdout), calls: server.calls.length - before };
}

/** A large run against the instant server in its own process; its count of chat requests served. */
async function runLarge(n) {
  const server = spawn(process.execPath, [`${REPO_ROOT}/bench/conversations/instant-openai-server.mjs`], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise((resolve, reject) => {
      server.stdout.once('data', (d) => resolve(String(d).trim()));
      server.once('error', reject);
    });
    const dir = writeProject(`s${n}`, n, url);
    const res = await timedProcess(process.execPath, [EVALOPS_BIN, 'run', '--json'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: DIR, LANG: 'C.UTF-8', EVALOPS_DATABASE_URL: `sqlite:${dir}/evalops.db` },
    });
    if (res.code !== 0) throw new Error(`evalops exited ${res.code}: ${tail(res.stderr)}`);
    const calls = Number(await (await fetch(url.replace(/\/v1$/, '/count'))).text());
    return { ...res, summary: JSON.parse(res.stdout), calls };
  } finally {
    server.kill('SIGTERM');
  }
}

/**
 * @param {{ runs?: number, scenarios?: number, largeScenarios?: number }} options
 *   `runs` 200-scenario runs (default 3); `largeScenarios` 0 skips the large run.
 */
export async function runConversationsBench(options = {}) {
  const runs = options.runs ?? 3;
  const n = options.scenarios ?? 200;
  const largeN = options.largeScenarios ?? 10_000;
  const { startFakeOpenAI } = await tsImport(`${REPO_ROOT}/test/support/fake-openai-server.ts`, import.meta.url);
  const arrivals = [];
  const server = await startFakeOpenAI({
    respond: (request) => {
      arrivals.push(performance.now());
      if (request.body?.model === 'bench-user') return { json: { message: 'I still need my refund, order 7', done: false, goalMet: false }, delayMs: LATENCY_MS };
      return { text: 'I have started your refund.', delayMs: LATENCY_MS };
    },
  });
  const rows = [];
  const ideal = idealMs(n, LATENCY_MS);
  const schedule = scheduleMs(n, LATENCY_MS);
  let floor;
  try {
    mkdirSync(DIR, { recursive: true });
    floor = median([await versionMs(), await versionMs(), await versionMs()]);
    for (let r = 0; r < runs; r++) {
      const dir = writeProject(`s${n}`, n, server.url);
      arrivals.length = 0;
      const timed = await runCli(dir, server);
      if (timed.calls !== ideal.calls) throw new Error(`expected ${ideal.calls} model calls, the server saw ${timed.calls}`);
      const results = timed.summary.results;
      const first = arrivals[0];
      const lastAnswer = (arrivals.at(-1) ?? first) + LATENCY_MS;
      rows.push({
        wallMs: timed.wallMs,
        ratio: timed.wallMs / ideal.ms,
        startupMs: first - timed.startedAt,
        requestMs: lastAnswer - first,
        tailMs: timed.endedAt - lastAnswer,
        cpuS: timed.userS + timed.sysS,
        rssMiB: timed.peakRssKiB / 1024,
        errors: results?.errors,
      });
    }
  } finally {
    await server.close();
  }

  const large = largeN > 0 ? await runLarge(largeN) : undefined;
  const largeIdeal = largeN > 0 ? idealMs(largeN, 1) : undefined;
  const rssMiB = large ? large.peakRssKiB / 1024 : Number.NaN;
  const best = rows.reduce((a, b) => (b.ratio < a.ratio ? b : a));
  const med = median(rows.map((r) => r.ratio));

  return {
    title: `§conv-run — conversations: ${n} scenarios × up to 6 turns, and a ${largeN.toLocaleString('en')}-scenario run`,
    budget: `wall ≤ ${RATIO_BUDGET} × ideal (Σ sequential call latencies ÷ ${CONCURRENCY}); ${largeN.toLocaleString('en')} scenarios peak RSS < ${RSS_BUDGET_MIB} MiB`,
    method: [
      `\`node bench/run-all.mjs --only conversations\`; the CLI \`evalops run --json\` as a child process under GNU time, cache off, a fresh SQLite file per run.`,
      `${n} scenarios, maxTurns 1 + i mod 6, the simulated user never done: ${ideal.calls} model calls (opening + target + user per turn), each answered after ${LATENCY_MS} ms by the in-process fake OpenAI server; concurrency ${CONCURRENCY}.`,
      `Ideal = ${ideal.calls} × ${LATENCY_MS} ms ÷ ${CONCURRENCY} = ${fmt(ideal.ms)} ms. A pool with no CPU cost per call would take ${fmt(schedule.longestFirst)} ms longest first (the engine's order) and ${fmt(schedule.datasetOrder)} ms in dataset order.`,
      `Start-up = spawn → the first request at the server; request phase = first request → last answer; tail = last answer → exit. \`evalops --version\` (median of 3): ${fmt(floor)} ms.`,
      largeN > 0 ? `${largeN.toLocaleString('en')} scenarios (${largeIdeal.calls} calls) against bench/conversations/instant-openai-server.mjs in its own process: peak RSS of the CLI (GNU time %M).` : 'Large run skipped.',
    ],
    tables: [
      {
        title: `${n}-scenario runs`,
        headers: ['run', 'wall ms', '× ideal', 'start-up ms', 'request phase ms', 'tail ms', 'CLI CPU s', 'peak RSS MiB', 'errors'],
        rows: rows.map((r, i) => [String(i + 1), fmt(r.wallMs), r.ratio.toFixed(3), fmt(r.startupMs), fmt(r.requestMs), fmt(r.tailMs), r.cpuS.toFixed(2), fmt(r.rssMiB), String(r.errors ?? '?')]),
      },
      ...(large
        ? [
            {
              title: 'Large run',
              headers: ['scenarios', 'model calls expected', 'requests served', 'wall s', 'CLI CPU s', 'peak RSS MiB', 'results', 'errors'],
              rows: [[String(largeN), String(largeIdeal.calls), String(large.calls), (large.wallMs / 1000).toFixed(1), (large.userS + large.sysS).toFixed(1), fmt(rssMiB), String(large.summary.results?.total ?? '?'), String(large.summary.results?.errors ?? '?')]],
            },
          ]
        : []),
    ],
    verdicts: [
      { name: 'wall vs ideal', pass: med <= RATIO_BUDGET, detail: `median ${med.toFixed(3)} × (best ${best.ratio.toFixed(3)}; budget ${RATIO_BUDGET})` },
      ...(large ? [{ name: `${largeN.toLocaleString('en')} scenarios peak RSS`, pass: rssMiB < RSS_BUDGET_MIB, detail: `${fmt(rssMiB)} MiB (budget < ${RSS_BUDGET_MIB})` }] : []),
    ],
    notes: [
      'The fake server keeps every request it saw in memory; it runs in the bench process, not in the measured CLI.',
      ...(large && large.calls !== largeIdeal.calls ? [`The large run's server served ${large.calls - largeIdeal.calls} requests more than the ${largeIdeal.calls} calls: retried attempts (the runner retries retryable failures).`] : []),
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({ options: { runs: { type: 'string' }, scenarios: { type: 'string' }, large: { type: 'string' } } });
  const load = readFileSync('/proc/loadavg', 'utf8').trim();
  const report = await runConversationsBench({
    ...(values.runs ? { runs: Number(values.runs) } : {}),
    ...(values.scenarios ? { scenarios: Number(values.scenarios) } : {}),
    ...(values.large ? { largeScenarios: Number(values.large) } : {}),
  });
  process.stdout.write(`${JSON.stringify({ loadBefore: load, loadAfter: readFileSync('/proc/loadavg', 'utf8').trim(), ...report }, null, 1)}\n`);
}
