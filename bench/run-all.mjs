#!/usr/bin/env node
/**
 * `npm run bench`: builds EvalOps, runs the benchmarks of DESIGN.md §6 and prints one Markdown report
 * (also written to bench/.work/latest.md). Exit 0 when every budget is met, 1 when one is missed, 2
 * when a bench could not run or could not verify that the work was done.
 *
 *   node bench/run-all.mjs [--only version,offline,llm,gate,accuracy,plan,ingest,ui,review,drift,detectability,online,resolve,triage,conversations,subsets] [--no-build] [--runs N]
 *
 * `--runs N` sets how many times the offline and LLM-bound benches run each tool (default 3 and 5);
 * the version bench always spawns 20 times after 2 warm-ups.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { runLlmBoundBench } from './llm-bound/llm-bound-bench.mjs';
import { waitForQuiet } from './lib/background-load.mjs';
import { machineInfo } from './lib/machine.mjs';
import { renderReport, table } from './lib/markdown.mjs';
import { EVALOPS_BIN, REPO_ROOT, WORK_DIR } from './lib/paths.mjs';
import { runOfflineBench } from './offline/offline-bench.mjs';
import { runVersionBench } from './version/version-bench.mjs';
import { runGateAccuracyBench } from './gate-perf/gate-accuracy-report.mjs';
import { runGatePerfBench } from './gate-perf/gate-perf-bench.mjs';
import { runPlanBench } from './plan/plan-report.mjs';
import { runIngestBench } from './ingest/ingest-bench.mjs';
import { runUiBench } from './ui/ui-bench.mjs';
import { runReviewBench } from './review/review-bench.mjs';
import { runDetectabilityBench } from './drift/detectability-bench.mjs';
import { runDriftBench } from './drift/drift-bench.mjs';
import { runOnlineBench } from './online/online-bench.mjs';
import { runResolveBench } from './resolve/resolve-bench.mjs';
import { runTriageBench } from './triage/triage-bench.mjs';
import { runConversationsBench } from './conversations/conversations-bench.mjs';
import { runSubsetsBench } from './subsets/subsets-report.mjs';

const BENCHES = {
  version: () => runVersionBench(),
  offline: (o) => runOfflineBench(o.runs ? { runs: o.runs } : {}),
  llm: (o) => runLlmBoundBench(o.runs ? { runs: o.runs } : {}),
  gate: (o) => runGatePerfBench(o.runs ? { runs: o.runs } : {}),
  accuracy: () => runGateAccuracyBench(),
  plan: () => runPlanBench(),
  ingest: () => runIngestBench(),
  ui: () => runUiBench(),
  review: () => runReviewBench(),
  drift: () => runDriftBench(),
  detectability: () => runDetectabilityBench(),
  online: () => runOnlineBench(),
  resolve: () => runResolveBench(),
  triage: (o) => runTriageBench(o.runs ? { runs: o.runs } : {}),
  conversations: (o) => runConversationsBench(o.runs ? { runs: o.runs } : {}),
  subsets: () => runSubsetsBench(),
};

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    runs: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write('usage: node bench/run-all.mjs [--only version,offline,llm,gate,accuracy,plan,ingest,ui,review,drift,detectability,online,resolve,triage,conversations,subsets] [--no-build] [--runs N]\n');
  process.exit(0);
}
const only = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(BENCHES);
const unknown = only.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  process.stderr.write(`unknown bench: ${unknown.join(', ')} (known: ${Object.keys(BENCHES).join(', ')})\n`);
  process.exit(2);
}
const runs = values.runs === undefined ? undefined : Number.parseInt(values.runs, 10);
if (runs !== undefined && !(runs >= 1)) {
  process.stderr.write('--runs must be a positive integer\n');
  process.exit(2);
}

if (!values['no-build']) {
  process.stderr.write('building (npm run build) …\n');
  const r = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write('npm run build failed (use --no-build to bench the dist/ already there)\n');
    process.exit(2);
  }
}
if (!existsSync(EVALOPS_BIN) || !existsSync(`${REPO_ROOT}/dist/cli/main.js`)) {
  process.stderr.write('dist/ is missing: run `npm run build` first\n');
  process.exit(2);
}

mkdirSync(WORK_DIR, { recursive: true });
const machine = machineInfo();
const header = [
  '# EvalOps benchmarks',
  '',
  table(
    ['date', 'machine', 'node', 'commit'],
    [[machine.date, `${machine.nproc} CPUs (${machine.cpu}), ${machine.memoryGiB} GiB, ${machine.os}`, machine.node, machine.commit]],
  ),
  '',
].join('\n');
process.stdout.write(`${header}\n`);

const sections = [header];
let exitCode = 0;
for (const name of only) {
  process.stderr.write(`\n== bench ${name} ==\n`);
  let section;
  try {
    const quiet = await waitForQuiet();
    const busy = quiet.busy === undefined ? 'unknown' : `${(quiet.busy * 100).toFixed(0)} %`;
    if (!quiet.quiet) process.stderr.write(`the machine is still ${busy} busy after ${(quiet.waitedMs / 1000).toFixed(0)} s; measuring anyway\n`);
    const load = loadavg()[0].toFixed(2);
    const report = await BENCHES[name]({ runs });
    const note =
      `Other work on the machine skews the figures: CPU busy before the bench ${busy}${quiet.waitedMs > 2500 ? ` (after waiting ${(quiet.waitedMs / 1000).toFixed(0)} s for a quiet spell)` : ''}; ` +
      `1-minute load average at start → end ${load} → ${loadavg()[0].toFixed(2)} on ${machine.nproc} CPUs.`;
    section = renderReport({ ...report, notes: [...report.notes, note] });
    if (report.verdicts.some((v) => !v.pass)) exitCode = Math.max(exitCode, 1);
  } catch (e) {
    section = `## ${name}\n\n**ERROR**: the bench could not run or could not verify the work:\n\n\`\`\`\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n\`\`\`\n`;
    exitCode = 2;
  }
  sections.push(section);
  process.stdout.write(`${section}\n`);
}

writeFileSync(`${WORK_DIR}/latest.md`, `${sections.join('\n')}\n`);
process.stderr.write(`\nreport written to ${WORK_DIR}/latest.md\n`);
process.exit(exitCode);
