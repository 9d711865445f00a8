import type { ScoreCell } from './impute-missing.js';
import type { ScoreStatus } from './score.js';

/** Codes of `ScoreColumns.status`. */
export const SCORE_STATUS_CODE = { scored: 0, errored: 1, skipped: 2 } as const satisfies Record<ScoreStatus, number>;
const STATUS_BY_CODE: readonly ScoreStatus[] = ['scored', 'errored', 'skipped'];

/**
 * A run's score rows in columns: one typed array per field, example ids and metric names stored once
 * in dictionaries. The gate reads 60,000 rows per run of 10,000 examples × 6 metrics; as objects they
 * cost more to allocate and collect than the statistics cost to compute (bench/RESULTS.md §perf-gate).
 *
 * Row i: example `exampleIds[example[i]]`, trial `trial[i]`, metric `metrics[metric[i]]`, status
 * code `status[i]` (SCORE_STATUS_CODE), value `value[i]` (NaN when null), pass `pass[i]` (1, 0, or
 * −1 when null).
 */
export interface ScoreColumns {
  readonly length: number;
  readonly exampleIds: readonly string[];
  readonly metrics: readonly string[];
  readonly example: Int32Array;
  readonly trial: Int32Array;
  readonly metric: Int32Array;
  readonly status: Uint8Array;
  readonly value: Float64Array;
  readonly pass: Int8Array;
}

/**
 * Columns from score rows (in their order).
 * @example scoreColumnsFromRows([{ exampleId: 'e1', trial: 0, metric: 'ok', status: 'scored', value: 1, pass: true }]).length // 1
 */
export function scoreColumnsFromRows(rows: readonly ScoreCell[]): ScoreColumns {
  const n = rows.length;
  const examples = new Map<string, number>();
  const metrics = new Map<string, number>();
  const cols = emptyColumns(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i] as ScoreCell;
    let e = examples.get(r.exampleId);
    if (e === undefined) examples.set(r.exampleId, (e = examples.size));
    let m = metrics.get(r.metric);
    if (m === undefined) metrics.set(r.metric, (m = metrics.size));
    cols.example[i] = e;
    cols.metric[i] = m;
    cols.trial[i] = r.trial;
    cols.status[i] = SCORE_STATUS_CODE[r.status];
    cols.value[i] = r.value === null ? Number.NaN : r.value;
    cols.pass[i] = r.pass === null ? -1 : r.pass ? 1 : 0;
  }
  return { length: n, exampleIds: [...examples.keys()], metrics: [...metrics.keys()], ...cols };
}

/** Typed arrays for `n` rows, zero-filled. */
export function emptyColumns(n: number): Pick<ScoreColumns, 'example' | 'trial' | 'metric' | 'status' | 'value' | 'pass'> {
  return { example: new Int32Array(n), trial: new Int32Array(n), metric: new Int32Array(n), status: new Uint8Array(n), value: new Float64Array(n), pass: new Int8Array(n) };
}

/** Row `i` as a score cell (for the few rows a report shows). */
export function scoreCellAt(cols: ScoreColumns, i: number): ScoreCell {
  const value = cols.value[i] as number;
  const pass = cols.pass[i] as number;
  return {
    exampleId: cols.exampleIds[cols.example[i] as number] as string,
    trial: cols.trial[i] as number,
    metric: cols.metrics[cols.metric[i] as number] as string,
    status: STATUS_BY_CODE[cols.status[i] as number] as ScoreStatus,
    value: Number.isNaN(value) ? null : value,
    pass: pass < 0 ? null : pass === 1,
  };
}

/** True for columns, false for an array of rows. */
export function isScoreColumns(x: readonly ScoreCell[] | ScoreColumns): x is ScoreColumns {
  return !Array.isArray(x);
}

/**
 * The rows whose example `keep` accepts, in their order (the dictionaries are shared).
 * @example filterScoreColumns(cols, (id) => subset.has(id))
 */
export function filterScoreColumns(cols: ScoreColumns, keep: (exampleId: string) => boolean): ScoreColumns {
  const kept = cols.exampleIds.map((id) => keep(id));
  let n = 0;
  for (let i = 0; i < cols.length; i++) if (kept[cols.example[i] as number]) n++;
  const out = emptyColumns(n);
  let j = 0;
  for (let i = 0; i < cols.length; i++) {
    if (!kept[cols.example[i] as number]) continue;
    out.example[j] = cols.example[i] as number;
    out.trial[j] = cols.trial[i] as number;
    out.metric[j] = cols.metric[i] as number;
    out.status[j] = cols.status[i] as number;
    out.value[j] = cols.value[i] as number;
    out.pass[j] = cols.pass[i] as number;
    j++;
  }
  return { length: n, exampleIds: cols.exampleIds, metrics: cols.metrics, ...out };
}
