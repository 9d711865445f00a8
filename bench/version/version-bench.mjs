/**
 * Bench 1: `evalops --version` start-up. Spawns `node bin/evalops.js --version` 20 times after 2
 * warm-ups (synchronously, one at a time, nothing else running) and reports median and p90 wall time.
 * `node -e 0` is measured the same way as the floor no Node CLI can beat.
 */
import { spawnSync } from 'node:child_process';
import { EVALOPS_BIN, REPO_ROOT } from '../lib/paths.mjs';
import { fmt, median, quantile } from '../lib/stats.mjs';

export const VERSION_BUDGET_MS = 150;

function sample(args, runs, warmups) {
  const times = [];
  let output = '';
  for (let i = 0; i < warmups + runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    output = r.stdout.trim();
    if (i >= warmups) times.push(ms);
  }
  return { times, output };
}

/** @param {{ runs?: number, warmups?: number }} [options] */
export async function runVersionBench(options = {}) {
  const runs = options.runs ?? 20;
  const warmups = options.warmups ?? 2;
  const cli = sample([EVALOPS_BIN, '--version'], runs, warmups);
  const floor = sample(['-e', '0'], runs, warmups);
  if (!/^\d+\.\d+\.\d+/.test(cli.output)) throw new Error(`evalops --version printed "${cli.output}", not a version`);
  const row = (name, s) => [name, fmt(median(s.times)), fmt(quantile(s.times, 0.9)), fmt(Math.min(...s.times)), fmt(Math.max(...s.times))];
  const med = median(cli.times);
  const p90 = quantile(cli.times, 0.9);
  return {
    id: 'version',
    title: 'evalops --version',
    budget: `≤ ${VERSION_BUDGET_MS} ms`,
    method: [
      `\`node bin/evalops.js --version\` spawned ${runs} times after ${warmups} warm-ups, one at a time; wall time from spawn to exit (performance.now around spawnSync).`,
      `Same for \`node -e 0\` as the floor of any Node CLI on this machine.`,
      `Printed: \`${cli.output}\`.`,
    ],
    tables: [
      {
        headers: ['command', 'median ms', 'p90 ms', 'min ms', 'max ms'],
        rows: [row('`node bin/evalops.js --version`', cli), row('`node -e 0` (floor)', floor)],
      },
    ],
    verdicts: [{ name: `median ≤ ${VERSION_BUDGET_MS} ms`, pass: med <= VERSION_BUDGET_MS, detail: `median ${fmt(med)} ms, p90 ${fmt(p90)} ms` }],
    notes: p90 > VERSION_BUDGET_MS ? [`p90 ${fmt(p90)} ms is over ${VERSION_BUDGET_MS} ms; compare the floor's p90 (${fmt(quantile(floor.times, 0.9))} ms) to tell a slow CLI from a busy machine.`] : [],
    figures: { medianMs: med, p90Ms: p90, floorMedianMs: median(floor.times) },
  };
}
