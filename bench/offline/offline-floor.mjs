#!/usr/bin/env node
/**
 * The floor of the offline bench (issue 22): the least a Node program can do for the same work as
 * `evalops run` on the bench project — read the same JSONL, call the same target function
 * (echo.mjs), run the same three checks (the keyword `contains`, the order-code regex, the same
 * status-ok.mjs function) and insert the same rows (results and scores, same columns, keys and
 * pragmas as the EvalOps schema) with better-sqlite3 in batched transactions. No config, dataset
 * versioning, run records, cache, concurrency, summary or output.
 *
 *   node bench/offline/offline-floor.mjs PROJECT_DIR DB_FILE   (prints {"results":N,"scores":M})
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { CODE_PATTERN } from './offline-fixtures.mjs';

const BATCH = 500;
const [dir, dbFile] = process.argv.slice(2);
if (!dir || !dbFile) {
  process.stderr.write('usage: offline-floor.mjs PROJECT_DIR DB_FILE\n');
  process.exit(2);
}
const { default: echo } = await import(pathToFileURL(`${dir}/echo.mjs`).href);
const { default: statusOk } = await import(pathToFileURL(`${dir}/scorers/status-ok.mjs`).href);
const examples = readFileSync(`${dir}/data/examples.jsonl`, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));

const db = new Database(dbFile);
db.pragma('page_size = 16384');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`CREATE TABLE results (run_id text not null, example_id text not null, trial integer not null, output text, tool_calls text not null, latency_ms double precision not null, input_tokens integer, output_tokens integer, cost_usd double precision, error text, cached integer not null, attempts integer not null, created_at text not null, constraint results_pk primary key (run_id, example_id, trial));
CREATE TABLE scores (run_id text not null, example_id text not null, trial integer not null, metric text not null, status text not null, value double precision, pass integer, label text, reason text, scorer_version text not null, constraint scores_pk primary key (run_id, example_id, trial, metric));`);
const insertResult = db.prepare('INSERT INTO results VALUES (?, ?, 0, ?, ?, ?, NULL, NULL, NULL, NULL, 0, 1, ?)');
const insertScore = db.prepare('INSERT INTO scores VALUES (?, ?, 0, ?, ?, ?, ?, NULL, ?, ?)');
const runId = 'run_floor';
const regex = new RegExp(CODE_PATTERN);
const write = db.transaction((rows) => {
  const at = new Date().toISOString();
  for (const r of rows) {
    insertResult.run(runId, r.id, JSON.stringify(r.output), '[]', r.latencyMs, at);
    for (const [metric, pass, reason] of r.scores) insertScore.run(runId, r.id, metric, 'scored', pass ? 1 : 0, pass ? 1 : 0, reason, 'v1');
  }
});
let batch = [];
let scores = 0;
for (const e of examples) {
  const started = performance.now();
  const output = await echo(e.input);
  const latencyMs = performance.now() - started;
  const text = typeof output === 'string' ? output : JSON.stringify(output);
  const keyword = String(e.expected.keyword);
  const checks = [
    ['has_keyword', text.includes(keyword), null],
    ['code_format', regex.test(text), null],
    ['status_ok', Boolean(await statusOk({ text, output, input: e.input, expected: e.expected })), null],
  ];
  scores += checks.length;
  batch.push({ id: e.id, output, latencyMs, scores: checks });
  if (batch.length === BATCH) {
    write(batch);
    batch = [];
  }
}
write(batch);
db.close();
process.stdout.write(`${JSON.stringify({ results: examples.length, scores })}\n`);
