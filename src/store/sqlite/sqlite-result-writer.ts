import type BetterSqlite3 from 'better-sqlite3';
import type { ResultWrite } from '../run-repository.js';
import { toJson } from '../json-column.js';

/** Writes a batch of results with their scores and refreshes the run's heartbeat, in one transaction. */
export type ResultWriter = (runId: string, batch: readonly ResultWrite[], at: string) => void;

/**
 * The SQLite writer of results: two statements prepared once and run per row inside one
 * better-sqlite3 transaction, where Kysely builds, compiles and prepares a new multi-row INSERT for
 * every batch (a fifth of an offline run's CPU time: bench/RESULTS.md §perf-gate). The rows are those
 * of RunRepository.appendResults; the caller holds Kysely's connection while this runs, so no Kysely
 * transaction is open around it.
 */
export function sqliteResultWriter(sqlite: BetterSqlite3.Database): ResultWriter {
  // Prepared on first use: the store is opened (and creates the tables) after this writer is made.
  let write: ResultWriter | undefined;
  return (runId, batch, at) => (write ??= prepareWriter(sqlite))(runId, batch, at);
}

function prepareWriter(sqlite: BetterSqlite3.Database): ResultWriter {
  const insertResult = sqlite.prepare(
    'INSERT INTO results (run_id, example_id, trial, output, tool_calls, latency_ms, input_tokens, output_tokens, cost_usd, error, cached, attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertScore = sqlite.prepare('INSERT INTO scores (run_id, example_id, trial, metric, status, value, pass, label, reason, scorer_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const heartbeat = sqlite.prepare('UPDATE runs SET heartbeat_at = ? WHERE id = ?');
  return sqlite.transaction((runId: string, batch: readonly ResultWrite[], at: string) => {
    for (const r of batch) {
      insertResult.run(runId, r.exampleId, r.trial, r.output === undefined ? null : toJson(r.output), toJson(r.toolCalls), r.latencyMs, r.inputTokens ?? null, r.outputTokens ?? null, r.costUsd ?? null, r.error ?? null, r.cached ? 1 : 0, r.attempts, at);
    }
    for (const r of batch) {
      for (const [metric, s] of Object.entries(r.scores)) {
        insertScore.run(runId, r.exampleId, r.trial, metric, s.status, s.value, s.pass === null ? null : s.pass ? 1 : 0, s.label ?? null, s.reason ?? null, s.scorerVersion);
      }
    }
    heartbeat.run(at, runId);
  });
}
