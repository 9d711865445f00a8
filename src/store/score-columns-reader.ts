import type { Kysely } from 'kysely';
import { EvalOpsError } from '../core/errors.js';
import { emptyColumns, SCORE_STATUS_CODE, type ScoreColumns } from '../core/score-columns.js';
import { ScoreStatusSchema } from '../core/score.js';
import type { Database } from './database.js';

/**
 * Reads every score of a run into columns (core/score-columns.ts), rows ordered by example id, trial
 * and metric. One port, two adapters: this one through Kysely (both dialects), and the SQLite one
 * (sqlite/sqlite-score-columns.ts), which skips building an object per row.
 */
export type ScoreColumnsReader = (runId: string) => Promise<ScoreColumns>;

/** The dialect-neutral reader: one query, one object per row turned into columns. */
export function kyselyScoreColumns(db: Kysely<Database>): ScoreColumnsReader {
  return async (runId) => {
    const rows = await db
      .selectFrom('scores')
      .select(['example_id', 'trial', 'metric', 'status', 'value', 'pass'])
      .where('run_id', '=', runId)
      .orderBy('example_id')
      .orderBy('trial')
      .orderBy('metric')
      .execute();
    const examples = new Map<string, number>();
    const metrics = new Map<string, number>();
    const cols = emptyColumns(rows.length);
    rows.forEach((r, i) => {
      let e = examples.get(r.example_id);
      if (e === undefined) examples.set(r.example_id, (e = examples.size));
      let m = metrics.get(r.metric);
      if (m === undefined) metrics.set(r.metric, (m = metrics.size));
      const status = ScoreStatusSchema.safeParse(r.status);
      if (!status.success) throw new EvalOpsError('infrastructure', `run ${runId}: a score of ${r.example_id} has an unknown status "${r.status}"`);
      cols.example[i] = e;
      cols.metric[i] = m;
      cols.trial[i] = Number(r.trial);
      cols.status[i] = SCORE_STATUS_CODE[status.data];
      cols.value[i] = r.value === null ? Number.NaN : Number(r.value);
      cols.pass[i] = r.pass === null ? -1 : Number(r.pass) === 1 ? 1 : 0;
    });
    return { length: rows.length, exampleIds: [...examples.keys()], metrics: [...metrics.keys()], ...cols };
  };
}
