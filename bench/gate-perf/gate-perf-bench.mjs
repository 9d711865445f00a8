/**
 * Budgets: `evalops gate` on two stored runs of 10,000 paired examples × 6 metrics × 40 slice values
 * with bootstrap intervals ≤ 1 s wall (DESIGN.md §6, issue 3) and ≤ 5× `evalops --version` measured
 * in the same run (issue 22), so a busy machine slows both sides of the ratio alike.
 *
 * Builds a project of 10,000 examples (40 slice values: 4 languages, 8 intents, 4 channels, 24
 * topics; each example in 4 of them) and a module target whose second variant drops the pass rate of
 * one metric by about 2 points and shifts a graded metric, runs both (6 metrics each: 4 pass/fail,
 * 2 graded by a function scorer, so both the McNemar/Newcombe path and the bootstrap path are
 * exercised), then times `evalops gate --candidate V2 --baseline V1 --json` as a whole process (spawn
 * to exit, so start-up counts) several times, each time right after one `evalops --version`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVALOPS_BIN, WORK_DIR } from '../lib/paths.mjs';
import { fmt, median, quantile } from '../lib/stats.mjs';
import { timedProcess } from '../lib/timed-process.mjs';

const BUDGET_MS = 1000;
/** Issue 22: the gate costs at most this many `evalops --version` starts. */
const BUDGET_RATIO = 5;
export const N = 10_000;
/** Slice values of the generated dataset: 4 languages + 8 intents + 4 channels + 24 topics. */
export const SLICE_VALUES = 40;

function seeded(seed) {
  let s = seed >>> 0;
  return () => ((s = (s + 0x6d2b79f5) >>> 0), (((s ^ (s >>> 15)) * (1 | s)) >>> 0) / 4294967296);
}

/** Writes the bench's generated project (dataset, two module variants, scorers, configs) into `dir`. */
export function writeProject(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const rand = seeded(7);
  const pick = seeded(11); // a stream of its own, so the scores (r, s) stay those of the 12-slice bench
  const langs = ['en', 'es', 'fr', 'de'];
  const intents = ['refund', 'status', 'cancel', 'shipping', 'account', 'billing', 'returns', 'other'];
  const channels = ['web', 'email', 'chat', 'phone'];
  const rows = [];
  for (let i = 0; i < N; i++) {
    const slices = [`lang:${langs[i % 4]}`, `intent:${intents[i % 8]}`, `channel:${channels[Math.floor(pick() * 4)]}`, `topic:t${String(Math.floor(pick() * 24)).padStart(2, '0')}`];
    rows.push(JSON.stringify({ id: `e${String(i).padStart(5, '0')}`, input: { q: `question ${i}`, r: rand(), s: rand() }, slices }));
  }
  writeFileSync(join(dir, 'cases.jsonl'), `${rows.join('\n')}\n`);
  writeFileSync(join(dir, 'v1.mjs'), "export default (x) => ({ text: 'Answer to ' + x.q, ok: x.r < 0.85, grade: x.s, alt: x.r });\n");
  writeFileSync(join(dir, 'v2.mjs'), "export default (x) => ({ text: 'Answer to ' + x.q, ok: x.r < 0.83, grade: x.s * 0.97, alt: x.r });\n");
  writeFileSync(join(dir, 'grade.mjs'), 'export const grade = ({ output }) => ({ score: output.grade });\nexport const alt = ({ output }) => ({ score: output.alt });\n');
  for (const v of ['v1', 'v2']) {
    writeFileSync(
      join(dir, `${v}.yaml`),
      `version: 1
project: gate-perf
target: { type: module, path: ./${v}.mjs }
dataset: { name: cases, path: ./cases.jsonl }
run: { concurrency: 8 }
metrics:
  - { name: answers, owner: a@example.com, scorer: { type: contains, value: Answer } }
  - { name: ok, owner: a@example.com, scorer: { type: regex, pattern: '"ok":true' } }
  - { name: mentions, owner: a@example.com, scorer: { type: icontains, value: QUESTION } }
  - { name: short, owner: a@example.com, scorer: { type: length, maxChars: 200 } }
  - { name: grade, owner: a@example.com, scorer: { type: function, path: ./grade.mjs, export: grade } }
  - { name: alt, owner: a@example.com, scorer: { type: function, path: ./grade.mjs, export: alt } }
gate:
  rules:
    - { metric: ok, noRegression: true, perSlice: true, action: block }
    - { metric: grade, noRegression: true, perSlice: true, action: block }
    - { metric: answers, min: 0.9, action: require_approval }
`,
    );
  }
}

/** Stores the two runs of the generated project with `bin` and returns their ids. */
export function storeRuns(bin, dir, env) {
  const runIds = {};
  for (const v of ['v1', 'v2']) {
    const r = spawnSync(process.execPath, [bin, 'run', '-c', join(dir, `${v}.yaml`), '--json', '--no-cache'], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`evalops run ${v} failed (${r.status}): ${r.stderr}`);
    const doc = JSON.parse(r.stdout);
    if (doc.results.total !== N || Object.keys(doc.metrics).length !== 6) throw new Error(`run ${v} did not store ${N} results × 6 metrics`);
    runIds[v] = doc.runId;
  }
  return runIds;
}

/** Checks a gate's JSON document: every example paired, every metric × {all, 40 slices} compared. */
export function checkGateDocument(doc) {
  const expected = 6 * (SLICE_VALUES + 1);
  if (doc.pairing.paired !== N || doc.comparisons.length !== expected) throw new Error(`gate compared ${doc.pairing.paired} examples in ${doc.comparisons.length} comparisons (expected ${N} and ${expected})`);
  if (doc.outcome !== 'block' || doc.findings.length === 0) throw new Error(`gate outcome ${doc.outcome} with ${doc.findings.length} findings; the bench's v2 must be blocked`);
}

/** @param {{ runs?: number }} [options] */
export async function runGatePerfBench(options = {}) {
  const runs = options.runs ?? 5;
  const dir = join(WORK_DIR, 'gate-perf');
  writeProject(dir);
  const env = { ...process.env, EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'evalops.db')}`, EVALOPS_ACTOR: 'bench@example.com' };
  const runIds = storeRuns(EVALOPS_BIN, dir, env);
  const args = [EVALOPS_BIN, 'gate', '-c', join(dir, 'v2.yaml'), '--candidate', runIds.v2, '--baseline', runIds.v1, '--json'];
  const samples = [];
  const versions = [];
  let doc;
  for (let i = 0; i < runs + 1; i++) {
    // `--version` right before each gate: the pair sees the same load, and its ratio is the figure.
    const v = await timedProcess(process.execPath, [EVALOPS_BIN, '--version'], { cwd: dir, env });
    if (v.code !== 0) throw new Error(`evalops --version exited ${v.code}: ${v.stderr}`);
    const t = await timedProcess(process.execPath, args, { cwd: dir, env });
    if (t.code !== 1 && t.code !== 0 && t.code !== 3) throw new Error(`evalops gate exited ${t.code}: ${t.stderr}`);
    doc = JSON.parse(t.stdout);
    checkGateDocument(doc);
    if (i > 0) {
      // the first pair is a warm-up (page cache)
      samples.push(t);
      versions.push(v);
    }
  }
  const continuous = doc.comparisons.filter((c) => c.kind === 'continuous').length;
  const walls = samples.map((s) => s.wallMs);
  const versionWalls = versions.map((s) => s.wallMs);
  const med = median(walls);
  const ratios = walls.map((w, i) => w / versionWalls[i]);
  const ratio = median(ratios);
  return {
    id: 'gate',
    title: `evalops gate: 2 stored runs × ${N.toLocaleString('en')} paired examples × 6 metrics × ${SLICE_VALUES} slices`,
    budget: `≤ ${BUDGET_MS} ms wall (whole process, start-up included); ≤ ${BUDGET_RATIO}× \`evalops --version\` in the same run`,
    method: [
      `Project generated under bench/.work/gate-perf: ${N} examples in ${SLICE_VALUES} slice values (4 languages, 8 intents, 4 channels, 24 topics; 4 per example), module target v1 and v2 (v2 drops one pass/fail metric by ~2 points and scales a graded one by 0.97), 6 metrics: 4 pass/fail (contains, regex, icontains, length) and 2 graded (function scorers returning a score 0..1).`,
      '`evalops run` for both variants into a fresh SQLite file, then, ' + `${runs + 1} times, \`node bin/evalops.js --version\` followed by \`node bin/evalops.js gate --candidate V2 --baseline V1 --json\`, each under GNU time, spawn to exit; the first pair is a warm-up. Ratio: the median over the pairs of gate wall ÷ the --version wall just before it.`,
      `Verified: ${doc.pairing.paired} paired examples, ${doc.comparisons.length} comparisons (metric × {all, slice}), ${continuous} of them bootstrap (2,000 resamples each), outcome \`${doc.outcome}\`, ${doc.findings.length} findings with evidence.`,
    ],
    tables: [
      {
        headers: ['command', 'median ms', 'p90 ms', 'min ms', 'max ms', 'median CPU ms', 'peak RSS MiB'],
        rows: [
          ['`evalops gate`', fmt(med), fmt(quantile(walls, 0.9)), fmt(Math.min(...walls)), fmt(Math.max(...walls)), fmt(median(samples.map((s) => (s.userS + s.sysS) * 1000))), fmt(median(samples.map((s) => s.peakRssKiB / 1024)))],
          ['`evalops --version`', fmt(median(versionWalls)), fmt(quantile(versionWalls, 0.9)), fmt(Math.min(...versionWalls)), fmt(Math.max(...versionWalls)), fmt(median(versions.map((s) => (s.userS + s.sysS) * 1000))), fmt(median(versions.map((s) => s.peakRssKiB / 1024)))],
        ],
      },
    ],
    verdicts: [
      { name: 'gate wall time', pass: med <= BUDGET_MS, detail: `median ${fmt(med)} ms vs budget ${BUDGET_MS} ms` },
      { name: 'gate ÷ --version', pass: ratio <= BUDGET_RATIO, detail: `median per-pair ratio ×${ratio.toFixed(2)} (${ratios.map((r) => r.toFixed(2)).join(' ')}) vs budget ×${BUDGET_RATIO}` },
    ],
    notes: [],
  };
}
