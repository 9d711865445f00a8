import type BetterSqlite3 from 'better-sqlite3';
import { EvalOpsError } from '../../core/errors.js';
import { emptyColumns, SCORE_STATUS_CODE, type ScoreColumns } from '../../core/score-columns.js';
import type { ScoreColumnsReader } from '../score-columns-reader.js';

/**
 * The SQLite reader of score columns. A gate reads 60,000 scores per run of 10,000 examples × 6
 * metrics; returned as objects (Kysely, or better-sqlite3's default), each row costs six JavaScript
 * values and an object, which took more time to build and collect than the statistics took. Here each
 * row costs two plain numbers, read as flat arrays (`pluck`) in the primary key's order:
 *
 * 1. the run's metric names and, per example, its id and number of score rows (the key index alone);
 * 2. per row, one integer packing trial, metric, status and pass;
 * 3. per row, the value.
 *
 * All three run in one read transaction, so they see the same rows.
 */
export function sqliteScoreColumns(sqlite: BetterSqlite3.Database): ScoreColumnsReader {
  // Prepared on first use: the store is opened (and creates the table) after this reader is made.
  let read: ((runId: string) => ScoreColumns) | undefined;
  return async (runId) => (read ??= prepareReader(sqlite))(runId);
}

function prepareReader(sqlite: BetterSqlite3.Database): (runId: string) => ScoreColumns {
  const metricsOf = sqlite.prepare('SELECT DISTINCT metric FROM scores WHERE run_id = ? ORDER BY metric').pluck();
  const examplesOf = sqlite.prepare('SELECT example_id, count(*) FROM scores WHERE run_id = ? GROUP BY example_id ORDER BY example_id').raw();
  const valuesOf = sqlite.prepare('SELECT value FROM scores WHERE run_id = ? ORDER BY example_id, trial, metric').pluck();
  const keyStatements = new Map<number, BetterSqlite3.Statement>();
  const keysOf = (metricCount: number): BetterSqlite3.Statement => {
    let stmt = keyStatements.get(metricCount);
    if (!stmt) {
      // key = ((trial · M + metric) · 3 + status) · 3 + pass + 1, metric by its position in the parameters.
      const metricCase = metricCount === 0 ? '0' : `CASE metric ${Array.from({ length: metricCount }, (_, m) => `WHEN ? THEN ${m}`).join(' ')} END`;
      const { scored, errored, skipped } = SCORE_STATUS_CODE;
      const status = `CASE status WHEN 'scored' THEN ${scored} WHEN 'errored' THEN ${errored} WHEN 'skipped' THEN ${skipped} END`;
      stmt = sqlite
        .prepare(`SELECT ((trial * ${metricCount} + ${metricCase}) * 3 + ${status}) * 3 + coalesce(pass, -1) + 1 FROM scores WHERE run_id = ? ORDER BY example_id, trial, metric`)
        .pluck();
      keyStatements.set(metricCount, stmt);
    }
    return stmt;
  };

  return sqlite.transaction((runId: string): ScoreColumns => {
    const metrics = metricsOf.all(runId) as string[];
    const examples = examplesOf.all(runId) as [string, number][];
    const keys = keysOf(metrics.length).all(...metrics, runId) as (number | null)[];
    const values = valuesOf.all(runId) as (number | null)[];
    const n = keys.length;
    const cols = emptyColumns(n);
    let row = 0;
    examples.forEach(([, count], e) => {
      cols.example.fill(e, row, row + count);
      row += count;
    });
    if (row !== n || values.length !== n) throw new EvalOpsError('infrastructure', `run ${runId}: the score reads disagree (${row}, ${n} and ${values.length} rows)`);
    const M = metrics.length;
    for (let i = 0; i < n; i++) {
      let key = keys[i];
      // A NULL key: a status outside the three (the schema allows none); refuse rather than guess.
      if (key === null || key === undefined) throw new EvalOpsError('infrastructure', `run ${runId}: score row ${i} has an unknown status`);
      const pass = (key % 3) - 1;
      key = (key - pass - 1) / 3;
      const status = key % 3;
      key = (key - status) / 3;
      const metric = key % M;
      cols.trial[i] = (key - metric) / M;
      cols.metric[i] = metric;
      cols.status[i] = status;
      cols.pass[i] = pass;
      const value = values[i];
      cols.value[i] = value === null || value === undefined ? Number.NaN : value;
    }
    return { length: n, exampleIds: examples.map(([id]) => id), metrics, ...cols };
  });
}
