#!/usr/bin/env node
/**
 * The gate bench, two builds side by side: `evalops gate` of the same two stored runs timed with
 * build A and build B alternately (A, B, A, B, …), so both see the same machine load. Used to check
 * that a change keeps the gate within its budget of the earlier build (issue 13: within 10%).
 *
 *   node bench/gate-perf/gate-ab.mjs --a dist/bundle-before/main.js --b dist/bundle-after/main.js [--pairs 9]
 *
 * Both runs are stored by build A (the older build reads only what it wrote; the newer reads both),
 * into one SQLite file that is then copied, one copy per build: a decision stored by the newer build
 * may not parse in the older one. Each build gates its own copy. One warm-up pair is dropped.
 * Prints per build: median / p90 / min wall, median and min CPU (user + sys, GNU time), peak RSS;
 * and the median of the per-pair ratios B/A (each pair ran back to back under the same load).
 * Each pair starts with one `--version` of build B, and each build's gate is also given as a ratio
 * to it (issue 22's budget: the gate ≤ 5× `evalops --version` measured in the same run).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, WORK_DIR } from '../lib/paths.mjs';
import { fmt, median, quantile } from '../lib/stats.mjs';
import { timedProcess } from '../lib/timed-process.mjs';
import { N, checkGateDocument, storeRuns, writeProject } from './gate-perf-bench.mjs';

const { values } = parseArgs({ options: { a: { type: 'string' }, b: { type: 'string' }, pairs: { type: 'string', default: '9' } } });
if (!values.a || !values.b) {
  console.error('usage: gate-ab.mjs --a ENTRY --b ENTRY [--pairs N]  (entries are CLI bundles, e.g. dist/bundle-before/main.js)');
  process.exit(2);
}
const entries = { A: resolve(REPO_ROOT, values.a), B: resolve(REPO_ROOT, values.b) };
for (const [k, e] of Object.entries(entries)) if (!existsSync(e)) throw new Error(`build ${k}: no file ${e}`);
const pairs = Number(values.pairs);

const dir = join(WORK_DIR, 'gate-ab');
writeProject(dir);
const base = join(dir, 'runs.db');
const env = (db) => ({ ...process.env, EVALOPS_DATABASE_URL: `sqlite:${db}`, EVALOPS_ACTOR: 'bench@example.com' });
const runIds = storeRuns(entries.A, dir, env(base));
const dbs = { A: join(dir, 'a.db'), B: join(dir, 'b.db') };
for (const k of ['A', 'B']) copyFileSync(base, dbs[k]);

const samples = { A: [], B: [] };
const versions = [];
const outcomes = { A: new Set(), B: new Set() };
for (let i = 0; i < pairs + 1; i++) {
  const v = await timedProcess(process.execPath, [entries.B, '--version'], { cwd: dir });
  if (v.code !== 0) throw new Error(`build B: --version exited ${v.code}: ${v.stderr}`);
  if (i > 0) versions.push(v);
  for (const k of ['A', 'B']) {
    const args = [entries[k], 'gate', '-c', join(dir, 'v2.yaml'), '--candidate', runIds.v2, '--baseline', runIds.v1, '--json'];
    const t = await timedProcess(process.execPath, args, { cwd: dir, env: env(dbs[k]) });
    if (t.code !== 0 && t.code !== 1 && t.code !== 3) throw new Error(`build ${k}: evalops gate exited ${t.code}: ${t.stderr}`);
    const doc = JSON.parse(t.stdout);
    checkGateDocument(doc);
    outcomes[k].add(`${doc.outcome}, ${doc.comparisons.length} comparisons, ${doc.findings.length} findings`);
    if (i > 0) samples[k].push(t);
  }
}

const load = (await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`gate A/B on ${N} examples, ${pairs} measured pairs (1 warm-up pair dropped), load average now ${load}`);
console.log('| build | median wall ms | p90 wall ms | min wall ms | median CPU ms | min CPU ms | peak RSS MiB | decision |');
console.log('|---|---|---|---|---|---|---|---|');
for (const k of ['A', 'B']) {
  const walls = samples[k].map((s) => s.wallMs);
  const cpu = samples[k].map((s) => (s.userS + s.sysS) * 1000);
  console.log(`| ${k} (${values[k.toLowerCase()]}) | ${fmt(median(walls))} | ${fmt(quantile(walls, 0.9))} | ${fmt(Math.min(...walls))} | ${fmt(median(cpu))} | ${fmt(Math.min(...cpu))} | ${fmt(median(samples[k].map((s) => s.peakRssKiB / 1024)))} | ${[...outcomes[k]].join('; ')} |`);
}
// Each pair ran back to back, so the ratio within a pair sees the same load; its median is the
// steadiest figure on a busy machine.
const pairRatios = (f) => samples.A.map((a, i) => f(samples.B[i]) / f(a));
const cpuOf = (s) => s.userS + s.sysS;
console.log(`per-pair B/A, median: wall ×${median(pairRatios((s) => s.wallMs)).toFixed(3)}, CPU ×${median(pairRatios(cpuOf)).toFixed(3)} (CPU ratios: ${pairRatios(cpuOf).map((r) => r.toFixed(2)).join(' ')})`);
const ratio = (f) => f(samples.B) / f(samples.A);
console.log(`B/A: median wall ×${ratio((s) => median(s.map((x) => x.wallMs))).toFixed(3)}, median CPU ×${ratio((s) => median(s.map((x) => x.userS + x.sysS))).toFixed(3)}`);
const versionWalls = versions.map((v) => v.wallMs);
const toVersion = (k) => samples[k].map((s, i) => s.wallMs / versionWalls[i]);
console.log(`--version (build B): median ${fmt(median(versionWalls))} ms; gate ÷ --version per pair, median: A ×${median(toVersion('A')).toFixed(2)}, B ×${median(toVersion('B')).toFixed(2)} (B: ${toVersion('B').map((r) => r.toFixed(2)).join(' ')})`);
