/**
 * Bench 3: an LLM-bound run. 1,000 examples, a `model` target on an `openai-compatible` provider that
 * is the local fake OpenAI server (test/support/fake-openai-server.ts, started in this process), which
 * answers every request after a fixed 100 ms; concurrency 32. The CLI runs as a child process. Budget:
 * wall time ≤ 1.15 × 1000 × 100 ms ÷ 32. A second run on the same database, cache on, must make zero
 * model calls.
 *
 * To say what dominates when the budget is missed, each cold run is split by the server's arrival
 * times into start-up (spawn → first request), request phase and tail (last answer → exit), and the
 * same requests are made by two bare clients: `fetch` alone and EvalOps's model port (AI SDK) alone.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tsImport } from 'tsx/esm/api';
import { EVALOPS_BIN, REPO_ROOT, WORK_DIR } from '../lib/paths.mjs';
import { fmt, median } from '../lib/stats.mjs';
import { tail, timedProcess } from '../lib/timed-process.mjs';

const DIR = `${WORK_DIR}/llm-bound`;
const RATIO_BUDGET = 1.15;
const FLOOR_CLIENT = new URL('./floor-client.mjs', import.meta.url).pathname;
const STARTUP_PHASES = new URL('./startup-phases.mjs', import.meta.url).pathname;

function writeProject(n, baseURL, concurrency) {
  rmSync(`${DIR}/project`, { recursive: true, force: true });
  mkdirSync(`${DIR}/project/data`, { recursive: true });
  const rows = [];
  for (let i = 0; i < n; i++) rows.push(JSON.stringify({ id: `q-${String(i).padStart(4, '0')}`, input: { question: `What is ${i} plus ${i}?` } }));
  writeFileSync(`${DIR}/project/data/questions.jsonl`, `${rows.join('\n')}\n`);
  writeFileSync(
    `${DIR}/project/evalops.yaml`,
    [
      'version: 1',
      'project: bench-llm',
      'providers:',
      `  local: { kind: openai-compatible, baseURL: "${baseURL}" }`,
      'target:',
      '  type: model',
      '  model: local:bench-model',
      '  prompt: "Answer briefly: {{input.question}}"',
      `dataset: { name: questions-${n}, path: ./data/questions.jsonl }`,
      'metrics:',
      '  - name: answered',
      '    scorer: { type: contains, value: "42" }',
      `run: { concurrency: ${concurrency} }`,
      '',
    ].join('\n'),
  );
  return `${DIR}/project/evalops.yaml`;
}

async function runCli({ config, db, concurrency, server, arrivals }) {
  const callsBefore = server.calls.length;
  const arrivalsBefore = arrivals.length;
  const cpu0 = process.cpuUsage();
  const res = await timedProcess(process.execPath, [EVALOPS_BIN, 'run', '-c', config, '--json', '--concurrency', String(concurrency)], {
    cwd: `${DIR}/project`,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: DIR, LANG: 'C.UTF-8', EVALOPS_DATABASE_URL: `sqlite:${db}` },
  });
  const serverCpu = process.cpuUsage(cpu0);
  if (res.code !== 0) throw new Error(`evalops exited ${res.code}: ${tail(res.stderr)}`);
  return {
    ...res,
    summary: JSON.parse(res.stdout),
    calls: server.calls.length - callsBefore,
    arrivals: arrivals.slice(arrivalsBefore),
    serverCpuMs: (serverCpu.user + serverCpu.system) / 1000,
  };
}

async function floorClient(mode, baseURL, n, concurrency) {
  const { stdout } = await promisify(execFile)(process.execPath, [FLOOR_CLIENT, mode, baseURL, String(n), String(concurrency)], { cwd: REPO_ROOT });
  const out = JSON.parse(stdout.trim().split('\n').at(-1));
  if (out.answered !== n) throw new Error(`floor client ${mode} got ${out.answered} answers of ${n}`);
  return out;
}

/** Median ms of each start-up phase over `runs` runs of startup-phases.mjs, plus node's own boot. */
async function startupPhases(config, runs) {
  const byName = new Map([['node boot (`node -e 0`)', []]]);
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    byName.get('node boot (`node -e 0`)').push(performance.now() - t0);
    const db = `${DIR}/runs/startup-${r}.sqlite`;
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
    const { stdout } = await promisify(execFile)(process.execPath, [STARTUP_PHASES, config, db], { cwd: REPO_ROOT });
    for (const { name, ms } of JSON.parse(stdout.trim().split('\n').at(-1)).phases) {
      if (!byName.has(name)) byName.set(name, []);
      byName.get(name).push(ms);
    }
  }
  return [...byName].map(([name, list]) => ({ name, ms: median(list) }));
}

/** @param {{ examples?: number, latencyMs?: number, concurrency?: number, runs?: number, log?: (line: string) => void }} [options] */
export async function runLlmBoundBench(options = {}) {
  const n = options.examples ?? 1000;
  const latencyMs = options.latencyMs ?? 100;
  const concurrency = options.concurrency ?? 32;
  const runs = options.runs ?? 5;
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const idealMs = (n * latencyMs) / concurrency;
  const budgetMs = RATIO_BUDGET * idealMs;

  const { startFakeOpenAI } = await tsImport(`${REPO_ROOT}/test/support/fake-openai-server.ts`, import.meta.url);
  const arrivals = [];
  const server = await startFakeOpenAI({
    latencyMs,
    respond: () => {
      arrivals.push(performance.now());
      return { text: 'The answer is 42.' };
    },
  });
  try {
    const config = writeProject(n, server.url, concurrency);
    const cold = [];
    const warm = [];
    const floors = { fetch: [], port: [], 'sdk-reused': [] };
    // Interleaved, so that a slow spell of the machine touches the CLI and the floors alike.
    for (let r = 0; r < runs; r++) {
      const runDir = `${DIR}/runs/${r}`;
      rmSync(runDir, { recursive: true, force: true });
      mkdirSync(runDir, { recursive: true });
      const db = `${runDir}/evalops.sqlite`;
      const c = await runCli({ config, db, concurrency, server, arrivals });
      const s = c.summary;
      if (s.results.total !== n || s.results.errors !== 0 || s.results.cached !== 0 || c.calls !== n || s.metrics.answered?.passed !== n) {
        throw new Error(`cold run did not do the work: results ${JSON.stringify(s.results)}, ${c.calls} model calls, answered ${s.metrics.answered?.passed}`);
      }
      const first = c.arrivals[0];
      const lastAnswer = c.arrivals.at(-1) + latencyMs;
      const requestPhaseMs = lastAnswer - first;
      cold.push({
        wallMs: c.wallMs,
        durationMs: s.durationMs,
        startupMs: first - c.startedAt,
        requestPhaseMs,
        tailMs: c.endedAt - lastAnswer,
        cpuMs: (c.userS + c.sysS) * 1000,
        peakRssMiB: c.peakRssKiB / 1024,
        serverCpuMs: c.serverCpuMs,
      });
      log(`llm run ${r + 1}/${runs}: cold ${fmt(c.wallMs)} ms (durationMs ${s.durationMs}), start-up ${fmt(first - c.startedAt)} ms, request phase ${fmt(requestPhaseMs)} ms`);

      const w = await runCli({ config, db, concurrency, server, arrivals });
      if (w.summary.results.total !== n || w.summary.results.errors !== 0) throw new Error(`cached run: results ${JSON.stringify(w.summary.results)}`);
      warm.push({ wallMs: w.wallMs, durationMs: w.summary.durationMs, calls: w.calls, cached: w.summary.results.cached });
      log(`llm run ${r + 1}/${runs}: cached ${fmt(w.wallMs)} ms, ${w.calls} model calls, ${w.summary.results.cached} cached results`);

      for (const mode of Object.keys(floors)) floors[mode].push(await floorClient(mode, server.url, n, concurrency));
      log(`llm run ${r + 1}/${runs}: floors ${Object.entries(floors).map(([mode, list]) => `${mode} ${fmt(list.at(-1).wallMs)} ms`).join(', ')}`);
    }

    const phases = await startupPhases(config, runs);
    const med = (list, key) => median(list.map((x) => x[key]));
    const coldWall = med(cold, 'wallMs');
    const coldDuration = med(cold, 'durationMs');
    const warmCalls = warm.reduce((sum, w) => sum + w.calls, 0);
    const rounds = n / concurrency;
    const phaseRow = (name, phaseMs, list, key, cpuMs, extra) => [
      name,
      fmt(phaseMs),
      fmt(Math.min(...list.map((x) => x[key]))),
      fmt(phaseMs / idealMs, 3),
      fmt(phaseMs / rounds - latencyMs, 1),
      fmt((n * latencyMs) / phaseMs, 1),
      cpuMs === undefined ? '–' : fmt(cpuMs / n, 2),
      extra,
    ];
    const fetchPhase = med(floors.fetch, 'wallMs');
    const portPhase = med(floors.port, 'wallMs');
    const reusedPhase = med(floors['sdk-reused'], 'wallMs');
    const cliPhase = med(cold, 'requestPhaseMs');
    const startupMs = med(cold, 'startupMs');
    const tailMs = med(cold, 'tailMs');
    // The run of median wall time, taken apart exactly: its parts add up to its wall time.
    const typical = [...cold].sort((a, b) => a.wallMs - b.wallMs)[Math.floor((cold.length - 1) / 2)];
    const excess = typical.wallMs - idealMs;
    const overshoot = [
      { name: 'start-up (spawn → first request)', ms: typical.startupMs },
      { name: 'request phase beyond the ideal', ms: typical.requestPhaseMs - idealMs },
      { name: 'tail (last answer → exit: summary, close)', ms: typical.tailMs },
    ];
    return {
      id: 'llm',
      title: `LLM-bound: ${n} examples, fake OpenAI-compatible server at ${latencyMs} ms, concurrency ${concurrency}`,
      budget: `wall ≤ ${RATIO_BUDGET} × ideal = ${RATIO_BUDGET} × ${n} × ${latencyMs} ms ÷ ${concurrency} = ${fmt(budgetMs)} ms (ideal ${fmt(idealMs)} ms); cached re-run makes 0 model calls`,
      method: [
        `Fake server: test/support/fake-openai-server.ts imported through tsx and started in the bench process (127.0.0.1), \`latencyMs: ${latencyMs}\`, every answer "The answer is 42.".`,
        `Config: \`providers: { local: { kind: openai-compatible, baseURL: <server>/v1 } }\`, target \`{ type: model, model: local:bench-model, prompt: "Answer briefly: {{input.question}}" }\`, one \`contains\` metric, ${n} examples.`,
        `Cold run: \`node bin/evalops.js run -c bench/.work/llm-bound/project/evalops.yaml --json --concurrency ${concurrency}\` (cache on, fresh SQLite file) under GNU time; wall = spawn to exit; \`durationMs\` from its --json. Then the same command again on the same database (cached run); the server counts the model calls of each. ${runs} rounds of cold run, cached run and the floors below, interleaved; medians.`,
        'Breakdown of each cold run from the server\'s arrival times: start-up = spawn → first request; request phase = first request → last answer; tail = last answer → process exit. Start-up is then taken apart by bench/llm-bound/startup-phases.mjs.',
        `Floors: the same ${n} requests at concurrency ${concurrency} from a bare client process (bench/llm-bound/floor-client.mjs), start-up excluded, no CLI, config, runner or database: \`fetch\` alone; EvalOps's model port (dist/models/ai-sdk-model-port.js on the Vercel AI SDK) alone; and the AI SDK with the port's settings but one model instance reused.`,
      ],
      tables: [
        {
          title: 'Runs (medians):',
          headers: ['run', 'wall ms', '× ideal', 'run durationMs', 'model calls', 'cached results', 'CLI CPU ms', 'peak RSS MiB', 'all runs: wall ms'],
          rows: [
            ['cold (cache empty)', fmt(coldWall), fmt(coldWall / idealMs, 3), fmt(coldDuration), String(n), '0', fmt(med(cold, 'cpuMs')), fmt(med(cold, 'peakRssMiB')), cold.map((x) => fmt(x.wallMs)).join(', ')],
            ['cached re-run', fmt(med(warm, 'wallMs')), '–', fmt(med(warm, 'durationMs')), warm.map((w) => w.calls).join(', '), warm.map((w) => w.cached).join(', '), '–', '–', warm.map((x) => fmt(x.wallMs)).join(', ')],
          ],
        },
        {
          title: 'Where the cold run\'s time goes (medians, ms):',
          headers: ['start-up (spawn → 1st request)', 'request phase', 'tail (last answer → exit)', 'total wall'],
          rows: [[fmt(startupMs), fmt(cliPhase), fmt(tailMs), fmt(coldWall)]],
        },
        {
          title: `The median cold run (${fmt(typical.wallMs)} ms) beyond the ideal: ${fmt(excess)} ms, taken apart:`,
          headers: ['part', 'ms', 'share of the excess'],
          rows: overshoot.map((o) => [o.name, fmt(o.ms), `${fmt((100 * o.ms) / excess)} %`]),
        },
        {
          title: 'Start-up taken apart (bench/llm-bound/startup-phases.mjs: the same imports and steps in a bare process, medians):',
          headers: ['phase', 'ms'],
          rows: [
            ...phases.map((p) => [p.name, fmt(p.ms)]),
            ['sum (compare: the CLI\'s measured start-up, median ' + fmt(startupMs) + ' ms, also holds CLI parsing, the run record and the first model call\'s set-up)', fmt(phases.reduce((sum, p) => sum + p.ms, 0))],
          ],
        },
        {
          title: `Request phase against floors (ideal ${fmt(idealMs)} ms = ${fmt(rounds, 2)} rounds of ${latencyMs} ms):`,
          headers: ['client', 'request phase ms (median)', 'best run ms', '× ideal (median)', 'overhead per round ms', 'effective concurrency', 'client CPU ms / request', 'notes'],
          rows: [
            phaseRow('bare `fetch`', fetchPhase, floors.fetch, 'wallMs', med(floors.fetch, 'cpuMs'), 'the machine + server floor'),
            phaseRow('model port (AI SDK) alone', portPhase, floors.port, 'wallMs', med(floors.port, 'cpuMs'), 'as the model target calls it: a new AI SDK model instance per call'),
            phaseRow('AI SDK, one model instance reused', reusedPhase, floors['sdk-reused'], 'wallMs', med(floors['sdk-reused'], 'cpuMs'), 'what memoising the port\'s languageModel() would give'),
            phaseRow('evalops run (CLI)', cliPhase, cold, 'requestPhaseMs', med(cold, 'cpuMs'), 'CPU/request includes start-up and summary'),
          ],
        },
      ],
      verdicts: [
        { name: `CLI wall ≤ ${fmt(budgetMs)} ms`, pass: coldWall <= budgetMs, detail: `${fmt(coldWall)} ms = ${fmt(coldWall / idealMs, 3)} × ideal` },
        { name: `run durationMs ≤ ${fmt(budgetMs)} ms`, pass: coldDuration <= budgetMs, detail: `${fmt(coldDuration)} ms = ${fmt(coldDuration / idealMs, 3)} × ideal` },
        { name: 'cached re-run: 0 model calls', pass: warmCalls === 0 && warm.every((w) => w.cached === n), detail: `${warmCalls} calls over ${runs} cached runs; cached results ${warm.map((w) => w.cached).join(', ')}` },
      ],
      notes: [`Fake server CPU during a cold run (bench process): ${fmt(med(cold, 'serverCpuMs'))} ms for ${n} requests.`],
      figures: { phases, idealMs, budgetMs, cold, warm, floors, coldWall, coldDuration, fetchPhase, portPhase, reusedPhase, cliPhase },
    };
  } finally {
    await server.close();
  }
}
