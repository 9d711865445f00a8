/**
 * Bench 2: offline throughput against promptfoo. The same 10,000 examples × 3 deterministic checks
 * (contains, regex, a JSON-parsing function) run through an echo target by both tools, each storing
 * its results in its own fresh SQLite database, each run as `node <cli>` directly under GNU time so
 * wall time and peak RSS are the tool's own. Both run inside an empty network namespace (`unshare -n`)
 * when the machine allows it, so neither can reach the network. Every run is checked against the
 * expected pass counts in the tool's own database: a run that did not do the work fails the bench.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { EVALOPS_BIN, WORK_DIR } from '../lib/paths.mjs';
import { fmt, median } from '../lib/stats.mjs';
import { tail, timedProcess } from '../lib/timed-process.mjs';
import { expectedCounts, writeEvalOpsProject, writePromptfooProject } from './offline-fixtures.mjs';
import { ensurePromptfoo, PROMPTFOO_VERSION, promptfooEngines } from './promptfoo-install.mjs';

const DIR = `${WORK_DIR}/offline`;
const SPEED_BUDGET = 10;
const MEMORY_BUDGET = 0.25;
/** Issue 22: the whole `evalops run` costs at most this many times the bare floor (offline-floor.mjs). */
const FLOOR_BUDGET = 2;
const FLOOR_SCRIPT = new URL('./offline-floor.mjs', import.meta.url).pathname;

/** The bare floor: the same JSONL, function, checks and rows, straight into better-sqlite3 (offline-floor.mjs). */
async function runFloor({ projectDir, runDir, isolation, n, expected }) {
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const db = `${runDir}/floor.sqlite`;
  const res = await timedProcess(process.execPath, [FLOOR_SCRIPT, projectDir, db], { cwd: runDir, env: baseEnv(runDir, isolation.env), prefix: isolation.prefix });
  if (res.code !== 0) throw new Error(`the floor script exited ${res.code}: ${tail(res.stderr)}`);
  const sqlite = new Database(db, { readonly: true });
  try {
    const results = sqlite.prepare('select count(*) as c from results').get().c;
    const allPass = sqlite.prepare('select count(*) as c from (select 1 from scores group by example_id, trial having sum(pass) = 3)').get().c;
    if (results !== n || allPass !== expected.all) throw new Error(`the floor stored ${results} results, ${allPass} all-pass; expected ${n}, ${expected.all}`);
  } finally {
    sqlite.close();
  }
  return res;
}

/** `unshare -n` (an empty network namespace) when permitted; else a dead loopback proxy. */
function networkIsolation() {
  const probe = spawnSync('unshare', ['-n', 'true'], { stdio: 'ignore' });
  if (probe.status === 0) return { prefix: ['unshare', '-n'], env: {}, how: '`unshare -n` (empty network namespace: no network at all)' };
  const dead = 'http://127.0.0.1:9';
  return { prefix: [], env: { HTTP_PROXY: dead, HTTPS_PROXY: dead, http_proxy: dead, https_proxy: dead }, how: 'HTTP(S)_PROXY pointed at a closed loopback port (`unshare -n` not permitted here)' };
}

function baseEnv(home, extra) {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', ...extra };
}

async function runEvalOps({ configFile, runDir, concurrency, isolation, n, expected }) {
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const db = `${runDir}/evalops.sqlite`;
  const res = await timedProcess(process.execPath, [EVALOPS_BIN, 'run', '-c', configFile, '--no-cache', '--json', '--concurrency', String(concurrency)], {
    cwd: runDir,
    env: baseEnv(runDir, { EVALOPS_DATABASE_URL: `sqlite:${db}`, ...isolation.env }),
    prefix: isolation.prefix,
  });
  if (res.code !== 0) throw new Error(`evalops exited ${res.code}: ${tail(res.stderr)}`);
  const summary = JSON.parse(res.stdout);
  const problems = [];
  const want = { has_keyword: expected.contains, code_format: expected.regex, status_ok: expected.function };
  if (summary.results.total !== n || summary.results.errors !== 0 || summary.results.cached !== 0) problems.push(`results ${JSON.stringify(summary.results)}`);
  for (const [metric, passed] of Object.entries(want)) {
    const m = summary.metrics[metric];
    if (!m || m.n !== n || m.passed !== passed) problems.push(`${metric}: n ${m?.n} passed ${m?.passed}, expected n ${n} passed ${passed}`);
  }
  const sqlite = new Database(db, { readonly: true });
  try {
    const results = sqlite.prepare('select count(*) as c from results where run_id = ?').get(summary.runId).c;
    const scores = sqlite.prepare('select count(*) as c from scores where run_id = ?').get(summary.runId).c;
    const allPass = sqlite
      .prepare('select count(*) as c from (select 1 from scores where run_id = ? group by example_id, trial having sum(pass) = 3)')
      .get(summary.runId).c;
    if (results !== n || scores !== 3 * n || allPass !== expected.all) problems.push(`stored ${results} results, ${scores} scores, ${allPass} all-pass; expected ${n}, ${3 * n}, ${expected.all}`);
    if (problems.length > 0) throw new Error(`evalops did not do the work: ${problems.join('; ')}`);
    return { ...res, durationMs: summary.durationMs, stored: { results, scores, allPass } };
  } finally {
    sqlite.close();
  }
}

async function runPromptfoo({ main, projectDir, runDir, concurrency, isolation, n, expected }) {
  rmSync(runDir, { recursive: true, force: true });
  const configDir = `${runDir}/.promptfoo`;
  mkdirSync(configDir, { recursive: true });
  const env = baseEnv(runDir, {
    PROMPTFOO_CONFIG_DIR: configDir,
    PROMPTFOO_DISABLE_TELEMETRY: '1',
    PROMPTFOO_DISABLE_UPDATE: '1',
    PROMPTFOO_DISABLE_SHARING: '1',
    PROMPTFOO_DISABLE_REMOTE_GENERATION: '1',
    PROMPTFOO_DISABLE_REDTEAM_REMOTE_GENERATION: '1',
    ...isolation.env,
  });
  const args = [main, 'eval', '-c', `${projectDir}/promptfooconfig.yaml`, '--no-cache', '--no-progress-bar', '--no-table', '--no-share', '-j', String(concurrency)];
  const res = await timedProcess(process.execPath, args, { cwd: projectDir, env, prefix: isolation.prefix });
  // promptfoo exits 100 when some test failed, which this work has by design.
  if (res.code !== 0 && res.code !== 100) throw new Error(`promptfoo exited ${res.code}: ${tail(res.stderr + res.stdout)}`);
  const sqlite = new Database(`${configDir}/promptfoo.db`, { readonly: true });
  try {
    const evals = sqlite.prepare('select count(*) as c from evals').get().c;
    const row = sqlite
      .prepare(
        `select count(*) as results, sum(success) as allPass,
           sum(json_extract(grading_result, '$.componentResults[0].pass')) as contains,
           sum(json_extract(grading_result, '$.componentResults[1].pass')) as regex,
           sum(json_extract(grading_result, '$.componentResults[2].pass')) as fn,
           sum(json_array_length(grading_result, '$.componentResults')) as asserts
         from eval_results`,
      )
      .get();
    const ok = evals === 1 && row.results === n && row.asserts === 3 * n && row.allPass === expected.all && row.contains === expected.contains && row.regex === expected.regex && row.fn === expected.function;
    if (!ok) throw new Error(`promptfoo did not do the work: ${evals} evals, stored ${JSON.stringify(row)}; expected ${n} results, ${3 * n} assertions, ${JSON.stringify(expected)}`);
    return { ...res, stored: { results: row.results, asserts: row.asserts, allPass: row.allPass } };
  } finally {
    sqlite.close();
  }
}

/** @param {{ examples?: number, runs?: number, concurrency?: number, log?: (line: string) => void }} [options] */
export async function runOfflineBench(options = {}) {
  const n = options.examples ?? 10_000;
  const runs = options.runs ?? 3;
  const concurrency = options.concurrency ?? 4;
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  // promptfoo comes from the npm registry; on a machine without network the bench still measures
  // EvalOps against its floor and says that promptfoo was not measured.
  let main = null;
  let promptfooMissing = null;
  try {
    main = ensurePromptfoo(log);
  } catch (e) {
    promptfooMissing = e instanceof Error ? e.message : String(e);
    log(`promptfoo not measured: ${promptfooMissing}`);
  }
  const isolation = networkIsolation();
  const expected = expectedCounts(n);
  writeEvalOpsProject(`${DIR}/evalops`, n, concurrency);
  writePromptfooProject(`${DIR}/promptfoo`, n);

  const samples = { evalops: [], evalopsTs: [], promptfoo: [], floor: [] };
  for (let r = 0; r < runs; r++) {
    const common = { concurrency, isolation, n, expected };
    const e = await runEvalOps({ ...common, configFile: `${DIR}/evalops/evalops.yaml`, runDir: `${DIR}/runs/evalops-${r}` });
    samples.evalops.push(e);
    log(`offline run ${r + 1}/${runs}: evalops (JS) ${fmt(e.wallMs)} ms, ${fmt(e.peakRssKiB / 1024)} MiB`);
    // The floor right after EvalOps: the pair sees the same load, and its ratio is the figure.
    const f = await runFloor({ ...common, projectDir: `${DIR}/evalops`, runDir: `${DIR}/runs/floor-${r}` });
    samples.floor.push(f);
    log(`offline run ${r + 1}/${runs}: floor ${fmt(f.wallMs)} ms, ${fmt(f.peakRssKiB / 1024)} MiB`);
    const t = await runEvalOps({ ...common, configFile: `${DIR}/evalops/evalops-ts.yaml`, runDir: `${DIR}/runs/evalops-ts-${r}` });
    samples.evalopsTs.push(t);
    log(`offline run ${r + 1}/${runs}: evalops (TS) ${fmt(t.wallMs)} ms, ${fmt(t.peakRssKiB / 1024)} MiB`);
    if (main) {
      const p = await runPromptfoo({ ...common, main, projectDir: `${DIR}/promptfoo`, runDir: `${DIR}/runs/promptfoo-${r}` });
      samples.promptfoo.push(p);
      log(`offline run ${r + 1}/${runs}: promptfoo ${fmt(p.wallMs)} ms, ${fmt(p.peakRssKiB / 1024)} MiB`);
    }
  }

  const stat = (list) => ({
    wallMs: median(list.map((s) => s.wallMs)),
    rssMiB: median(list.map((s) => s.peakRssKiB / 1024)),
    cpuS: median(list.map((s) => s.userS + s.sysS)),
    all: list.map((s) => `${fmt(s.wallMs)} ms / ${fmt(s.peakRssKiB / 1024)} MiB`).join('; '),
  });
  const ev = stat(samples.evalops);
  const evTs = stat(samples.evalopsTs);
  const pf = main ? stat(samples.promptfoo) : null;
  const fl = stat(samples.floor);
  const speedup = pf ? pf.wallMs / ev.wallMs : Number.NaN;
  const memRatio = pf ? ev.rssMiB / pf.rssMiB : Number.NaN;
  const floorRatios = samples.evalops.map((e, i) => e.wallMs / samples.floor[i].wallMs);
  const floorCpuRatios = samples.evalops.map((e, i) => (e.userS + e.sysS) / (samples.floor[i].userS + samples.floor[i].sysS));
  const floorRatio = median(floorRatios);
  const inRunMs = median(samples.evalops.map((s) => s.durationMs));
  const row = (name, s, extra) => [name, fmt(s.wallMs), fmt(n / (s.wallMs / 1000)), fmt(s.rssMiB), fmt(s.cpuS, 2), extra, s.all];
  return {
    id: 'offline',
    title: `Offline throughput: ${n.toLocaleString('en')} examples × 3 deterministic metrics vs promptfoo ${PROMPTFOO_VERSION}`,
    budget: `EvalOps ≥ ${SPEED_BUDGET}× faster (wall) and ≤ ¼ the peak RSS of promptfoo on the same work`,
    method: [
      `Same ${n} inputs for both: a JSON object echoed back as JSON text; checks \`contains\` (per-example keyword), \`regex\` \`${'"code":"[A-Z]{3}-\\d{4}"'}\`, and a function parsing the JSON output and testing \`status\`. Expected passes: contains ${expected.contains}, regex ${expected.regex}, function ${expected.function}, all three ${expected.all}.`,
      `EvalOps: \`node bin/evalops.js run -c bench/.work/offline/evalops/evalops.yaml --no-cache --json --concurrency ${concurrency}\`, module target \`echo.mjs\`, function scorer \`scorers/status-ok.mjs\`, fresh SQLite file per run (EVALOPS_DATABASE_URL). Also shown: the same in TypeScript (\`echo.ts\`, \`status-ok.ts\`, loaded through tsx).`,
      `promptfoo ${PROMPTFOO_VERSION} (npm, into bench/.work/promptfoo): \`node …/promptfoo/dist/src/main.js eval -c promptfooconfig.yaml --no-cache --no-progress-bar --no-table --no-share -j ${concurrency}\`, \`echo\` provider, prompt \`{{input}}\`, tests.jsonl, asserts contains / regex / javascript (inline \`JSON.parse(output).status === 'ok'\`); results written to its own fresh SQLite (PROMPTFOO_CONFIG_DIR, HOME) per run; telemetry, update check and sharing disabled by env.`,
      `Concurrency ${concurrency} for both (promptfoo's default \`-j\`). Network: ${isolation.how}.`,
      `Floor (issue 22): \`node bench/offline/offline-floor.mjs\` reads the same JSONL, calls the same echo.mjs, runs the same three checks (status-ok.mjs for the function) and inserts the same result and score rows (same columns, keys and pragmas) with better-sqlite3, 500 results per transaction; run right after each EvalOps run, and the budget is the median of the per-pair wall ratios.`,
      `Each tool run ${runs} times, interleaved; figures are medians. Wall time = spawn to exit of \`/usr/bin/time -f '%e %M %U %S' node …\`; peak RSS = GNU time %M of node (its direct child).`,
      `Verified after every run from each tool's own database: EvalOps ${n} results, ${3 * n} scores and the expected pass counts per metric; promptfoo 1 eval, ${n} eval_results with 3 component results each and the same pass counts per assertion.`,
    ],
    tables: [
      {
        headers: ['tool', 'wall ms (median)', 'examples/s', 'peak RSS MiB', 'CPU s (user+sys)', 'notes', 'all runs (wall / RSS)'],
        rows: [
          row('EvalOps (JS target + scorer)', ev, `run's own durationMs ${fmt(inRunMs)}`),
          row('EvalOps (TS target + scorer, tsx)', evTs, 'informational'),
          row('floor (offline-floor.mjs: same JSONL, function, checks and rows; better-sqlite3, batched transactions)', fl, `EvalOps ÷ floor per pair: wall ×${floorRatios.map((x) => x.toFixed(2)).join(' ×')}, CPU ×${floorCpuRatios.map((x) => x.toFixed(2)).join(' ×')}`),
          ...(pf ? [row(`promptfoo ${PROMPTFOO_VERSION}`, pf, `Node ${process.version}; promptfoo declares engines ${promptfooEngines()}`)] : []),
        ],
      },
    ],
    verdicts: [
      ...(pf
        ? [
            { name: `speed ≥ ${SPEED_BUDGET}×`, pass: speedup >= SPEED_BUDGET, detail: `${fmt(speedup, 1)}× (promptfoo ${fmt(pf.wallMs)} ms ÷ EvalOps ${fmt(ev.wallMs)} ms)` },
            { name: 'peak memory ≤ ¼', pass: memRatio <= MEMORY_BUDGET, detail: `${fmt(memRatio, 3)} (EvalOps ${fmt(ev.rssMiB)} MiB ÷ promptfoo ${fmt(pf.rssMiB)} MiB; ${fmt(1 / memRatio, 1)}× less)` },
          ]
        : []),
      { name: `≤ ${FLOOR_BUDGET}× the floor`, pass: floorRatio <= FLOOR_BUDGET, detail: `median per-pair wall ratio ×${floorRatio.toFixed(2)} (EvalOps ${fmt(ev.wallMs)} ms, floor ${fmt(fl.wallMs)} ms)` },
    ],
    notes: [
      ...(promptfooMissing ? [`promptfoo was not measured this time (${promptfooMissing}); the recorded comparison is in bench/RESULTS.md §2.`] : []),
      ...(pf ? [`promptfoo ${PROMPTFOO_VERSION} declares Node ${promptfooEngines()}; this machine has ${process.version}. Its entrypoint refuses older Node, so the bench runs its dist/src/main.js directly (which the entrypoint imports after the version check). Its results were verified complete and correct on this Node.`] : []),
    ],
    figures: { evalops: ev, evalopsTs: evTs, promptfoo: pf, floor: fl, floorRatio, speedup, memRatio, inRunMs, expected },
  };
}
