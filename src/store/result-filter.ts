import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { Database } from './database.js';

/**
 * Which results of a run a page shows. Every condition runs in SQL, before the limit, so a filtered
 * page of a 100k-result run costs one indexed query and never loads the run into memory.
 */
export interface ResultFilter {
  /** Only results with an error, or any failed or errored score. */
  readonly failures?: boolean;
  /** Only results whose score for this metric failed or errored. */
  readonly failedMetric?: string;
  /** Only results of examples in this slice of the given dataset version. */
  readonly slice?: { readonly versionId: string; readonly name: string };
  /** Only the results (every trial) of this example. */
  readonly exampleId?: string;
}

type ResultsQuery<O> = SelectQueryBuilder<Database, 'results', O>;

/** Adds the filter's conditions to a query over `results`. */
export function applyResultFilter<O>(query: ResultsQuery<O>, filter: ResultFilter): ResultsQuery<O> {
  let q = query;
  if (filter.exampleId !== undefined) q = q.where('results.example_id', '=', filter.exampleId);
  if (filter.failures) q = q.where((eb) => eb.or([eb('results.error', 'is not', null), failedScore(eb)]));
  if (filter.failedMetric !== undefined) {
    const metric = filter.failedMetric;
    q = q.where((eb) => failedScore(eb, metric));
  }
  if (filter.slice) {
    const { versionId, name } = filter.slice;
    // Slices are stored as a compact JSON array of strings. Wrapped in commas instead of brackets, an
    // element is exactly `,"<json>",`: inside an element every `"` is escaped, so no other text matches,
    // and replace() compares case-sensitively in both dialects (SQLite's LIKE would not).
    const needle = `,${JSON.stringify(name)},`;
    const wrapped = sql<string>`(',' || substr(examples.slices, 2, length(examples.slices) - 2) || ',')`;
    q = q.where('results.example_id', 'in', (eb) =>
      eb
        .selectFrom('examples')
        .select('examples.id')
        .where('examples.version_id', '=', versionId)
        .where(sql<boolean>`replace(${wrapped}, ${needle}, '') <> ${wrapped}`),
    );
  }
  return q;
}

/** A score of the result (of one metric, when named) that failed or errored. */
function failedScore(eb: ExpressionBuilder<Database, 'results'>, metric?: string) {
  let sub = eb
    .selectFrom('scores as s')
    .select('s.metric')
    .whereRef('s.run_id', '=', 'results.run_id')
    .whereRef('s.example_id', '=', 'results.example_id')
    .whereRef('s.trial', '=', 'results.trial')
    .where((s) => s.or([s('s.status', '=', 'errored'), s.and([s('s.status', '=', 'scored'), s('s.pass', '=', 0)])]));
  if (metric !== undefined) sub = sub.where('s.metric', '=', metric);
  return eb.exists(sub);
}
