/**
 * Bench: `evalops triage --run RUN` on a stored run with 10,000 failing results, offline method
 * (issue 19: ≤ 5 s and ≤ 500 MiB). The run is seeded through the store (dist/) with the planted
 * failure modes of planted-failures.mjs; the CLI runs under GNU time (wall, peak RSS), 3 times. The
 * floor is `evalops runs show RUN --json` on the same database in the same run: start-up, opening the
 * database and reading the run, which any triage pays too. The work is verified: every failing result
 * is in a cluster and the clusters recover the planted modes (adjusted Rand index ≥ 0.8).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EVALOPS_BIN, REPO_ROOT, WORK_DIR } from '../lib/paths.mjs';
import { fmt, median } from '../lib/stats.mjs';
import { timedProcess } from '../lib/timed-process.mjs';
import { plantedFailures } from './planted-failures.mjs';

export const TRIAGE_BUDGET_MS = 5000;
export const TRIAGE_BUDGET_MIB = 500;
const ITEMS = 10_000;
const dist = async (path) => import(`${REPO_ROOT}/dist/${path}`);

async function seed(dbFile) {
  const { openStore } = await dist('store/store.js');
  const { datasetVersionHash } = await dist('datasets/dataset-hash.js');
  const store = await openStore(`sqlite:${dbFile}`);
  const { items, modes } = plantedFailures(ITEMS, 1);
  const project = await store.projects.ensure('triage-bench');
  const examples = items.map((it) => ({ id: it.exampleId, input: it.input, metadata: {}, slices: it.slices, source: 'manual' }));
  const { version } = await store.datasets.saveVersion(project.id, 'planted', datasetVersionHash(examples), examples, 'bench');
  const metrics = [...new Set(items.flatMap((it) => it.failingMetrics))].map((name) => ({ name, owner: `${name}@example.com`, scorerType: 'function', scorerVersion: '1' }));
  const run = await store.runs.create({ projectId: project.id, datasetVersionId: version.id, targetType: 'module', targetVariant: 'bench', metrics, labels: {}, repeat: 1 });
  for (let i = 0; i < items.length; i += 500) {
    await store.runs.appendResults(
      run.id,
      items.slice(i, i + 500).map((it) => ({
        exampleId: it.exampleId,
        trial: 0,
        output: it.output,
        toolCalls: [],
        latencyMs: 10,
        cached: false,
        attempts: 1,
        scores: Object.fromEntries(it.failingMetrics.map((m) => [m, { status: 'scored', value: 0, pass: false, reason: it.reason, scorerVersion: '1' }])),
      })),
    );
  }
  await store.runs.finish(run.id, 'completed', null);
  await store.close();
  return { runId: run.id, modes: new Map(items.map((it, i) => [`${it.exampleId}#0`, modes[i]])) };
}

export async function runTriageBench(options = {}) {
  const runs = options.runs ?? 3;
  const { adjustedRandIndex } = await dist('core/stats/adjusted-rand-index.js');
  const dir = join(WORK_DIR, 'triage');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const dbFile = join(dir, 'db.sqlite');
  const { runId, modes } = await seed(dbFile);
  const env = { ...process.env, EVALOPS_DATABASE_URL: `sqlite:${dbFile}` };
  const triage = [];
  const floor = [];
  let ari = NaN;
  let clusters = 0;
  for (let i = 0; i < runs; i++) {
    const f = await timedProcess(process.execPath, [EVALOPS_BIN, 'runs', 'show', runId, '--json'], { cwd: REPO_ROOT, env });
    if (f.code !== 0) throw new Error(`runs show exited ${f.code}: ${f.stderr}`);
    floor.push(f);
    const t = await timedProcess(process.execPath, [EVALOPS_BIN, 'triage', '--run', runId, '--json'], { cwd: REPO_ROOT, env });
    if (t.code !== 0) throw new Error(`triage exited ${t.code}: ${t.stderr}`);
    triage.push(t);
    const report = JSON.parse(t.stdout);
    const labelOf = new Map(report.clusters.flatMap((c) => c.itemKeys.map((k) => [k, c.id])));
    if (labelOf.size !== ITEMS || report.items !== ITEMS) throw new Error(`triage clustered ${labelOf.size} of ${ITEMS} items`);
    const keys = [...modes.keys()];
    ari = adjustedRandIndex(keys.map((k) => labelOf.get(k)), keys.map((k) => modes.get(k)));
    clusters = report.clusters.length;
  }
  const ms = median(triage.map((t) => t.wallMs));
  const mib = Math.max(...triage.map((t) => t.peakRssKiB)) / 1024;
  const floorMs = median(floor.map((f) => f.wallMs));
  const row = (name, list) => [name, fmt(median(list.map((x) => x.wallMs))), fmt(Math.min(...list.map((x) => x.wallMs))), fmt(Math.max(...list.map((x) => x.wallMs))), fmt(Math.max(...list.map((x) => x.peakRssKiB)) / 1024), fmt(median(list.map((x) => x.userS + x.sysS)) * 1000)];
  return {
    id: 'triage',
    title: 'evalops triage on 10,000 failing items (offline method)',
    budget: `≤ ${TRIAGE_BUDGET_MS} ms and ≤ ${TRIAGE_BUDGET_MIB} MiB`,
    method: [
      `A run of ${ITEMS.toLocaleString('en')} failing results (6 planted failure modes, bench/triage/planted-failures.mjs, seed 1) stored in SQLite through dist/ store.`,
      `\`node bin/evalops.js triage --run RUN --json\` under GNU time, ${runs} times; floor: \`node bin/evalops.js runs show RUN --json\` on the same database, alternating with it.`,
      `Verified: every item is in a cluster; ${clusters} clusters, adjusted Rand index against the planted modes ${ari.toFixed(3)}.`,
    ],
    tables: [{ headers: ['command', 'median ms', 'min ms', 'max ms', 'peak RSS MiB', 'CPU ms (median)'], rows: [row('`evalops triage --run RUN --json`', triage), row('`evalops runs show RUN --json` (floor)', floor)] }],
    verdicts: [
      { name: `median ≤ ${TRIAGE_BUDGET_MS} ms`, pass: ms <= TRIAGE_BUDGET_MS, detail: `median ${fmt(ms)} ms (floor ${fmt(floorMs)} ms)` },
      { name: `peak RSS ≤ ${TRIAGE_BUDGET_MIB} MiB`, pass: mib <= TRIAGE_BUDGET_MIB, detail: `${fmt(mib)} MiB` },
      { name: 'planted modes recovered (ARI ≥ 0.8)', pass: ari >= 0.8, detail: ari.toFixed(3) },
    ],
    notes: [],
    figures: { medianMs: ms, peakMiB: mib, floorMedianMs: floorMs, ari, clusters },
  };
}
