/**
 * Bench: conversations. 200 scenarios × up to 6 turns (scenario i has maxTurns 1 + i mod 6) against the
 * local fake OpenAI server (test/support/fake-openai-server.ts, started in this process) answering
 * every request after 100 ms — both the `model` target and the model simulated user, which never says
 * done, so each scenario runs exactly maxTurns turns: 1 opening + 2 × maxTurns sequential calls.
 * Concurrency 32; the CLI runs as a child process under GNU time. Budget: wall time ≤ 1.25 × the ideal
 * (the sum of every scenario's sequential call latencies ÷ 32). Then a 10,000-scenario run (the
 * server answering at once) whose peak RSS must stay under 300 MiB.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';
import { EVALOPS_BIN, REPO_ROOT, WORK_DIR } from '../lib/paths.mjs';
import { fmt } from '../lib/stats.mjs';
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

async function runCli(dir, server) {
  const before = server.calls.length;
  const res = await timedProcess(process.execPath, [EVALOPS_BIN, 'run', '--json'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: DIR, LANG: 'C.UTF-8', EVALOPS_DATABASE_URL: `sqlite:${dir}/evalops.db` },
  });
  if (res.code !== 0) throw new Error(`evalops exited ${res.code}: ${tail(res.stderr)}`);
  return { ...res, summary: JSON.parse(res.stdout), calls: server.calls.length - before };
}

export async function runConversationsBench() {
  const { startFakeOpenAI } = await tsImport(`${REPO_ROOT}/test/support/fake-openai-server.ts`, import.meta.url);
  let latencyMs = LATENCY_MS;
  const server = await startFakeOpenAI({
    respond: (request) => {
      const delayMs = latencyMs;
      if (request.body?.model === 'bench-user') return { json: { message: 'I still need my refund, order 7', done: false, goalMet: false }, delayMs };
      return { text: 'I have started your refund.', delayMs };
    },
  });
  try {
    mkdirSync(DIR, { recursive: true });
    const small = writeProject('s200', 200, server.url);
    const ideal = idealMs(200, LATENCY_MS);
    const timed = await runCli(small, server);
    const results = timed.summary.results ?? timed.summary.summary?.results;
    if (timed.calls !== ideal.calls) throw new Error(`expected ${ideal.calls} model calls, the server saw ${timed.calls}`);
    const ratio = timed.wallMs / ideal.ms;

    latencyMs = 0;
    const large = writeProject('s10k', 10_000, server.url);
    const big = await runCli(large, server);
    const bigIdeal = idealMs(10_000, 1);
    if (big.calls !== bigIdeal.calls) throw new Error(`10,000 scenarios: expected ${bigIdeal.calls} model calls, the server saw ${big.calls}`);
    const rssMiB = big.peakRssKiB / 1024;

    return {
      title: '§conv-run — conversations: 200 scenarios × up to 6 turns, and a 10,000-scenario run',
      budget: `wall ≤ ${RATIO_BUDGET} × ideal (Σ sequential call latencies ÷ ${CONCURRENCY}); 10,000 scenarios peak RSS < ${RSS_BUDGET_MIB} MiB`,
      method: [
        `\`node bench/run-all.mjs --only conversations\`; the CLI \`evalops run --json\` as a child process under GNU time, cache off.`,
        `200 scenarios, maxTurns 1 + i mod 6, the simulated user never done: ${ideal.calls} model calls (opening + target + user per turn), each answered after ${LATENCY_MS} ms by the in-process fake OpenAI server; concurrency ${CONCURRENCY}.`,
        `Ideal = ${ideal.calls} × ${LATENCY_MS} ms ÷ ${CONCURRENCY} = ${fmt(ideal.ms)} ms: no scheduling loss at all, not even the tail of the last conversations.`,
        `10,000 scenarios (${bigIdeal.calls} calls) with the server answering at once: peak RSS of the CLI process (GNU time %M).`,
      ],
      tables: [
        {
          title: 'Runs',
          headers: ['run', 'scenarios', 'model calls', 'wall ms', 'ideal ms', 'ratio', 'peak RSS MiB', 'results', 'errors'],
          rows: [
            ['200 × ≤6 turns, 100 ms', '200', String(timed.calls), fmt(timed.wallMs), fmt(ideal.ms), ratio.toFixed(3), (timed.peakRssKiB / 1024).toFixed(0), String(results?.total ?? '?'), String(results?.errors ?? '?')],
            ['10,000 × ≤6 turns, 0 ms', '10000', String(big.calls), fmt(big.wallMs), '—', '—', rssMiB.toFixed(0), String((big.summary.results ?? big.summary.summary?.results)?.total ?? '?'), String((big.summary.results ?? big.summary.summary?.results)?.errors ?? '?')],
          ],
        },
      ],
      verdicts: [
        { name: 'wall vs ideal', pass: ratio <= RATIO_BUDGET, detail: `${ratio.toFixed(3)} × (budget ${RATIO_BUDGET})` },
        { name: '10,000 scenarios peak RSS', pass: rssMiB < RSS_BUDGET_MIB, detail: `${rssMiB.toFixed(0)} MiB (budget < ${RSS_BUDGET_MIB})` },
      ],
      notes: ['The fake server keeps every request it saw in memory; it runs in the bench process, not in the measured CLI.'],
    };
  } finally {
    await server.close();
  }
}
