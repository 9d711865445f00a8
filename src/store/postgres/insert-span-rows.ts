import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../database.js';
import { SPAN_COLUMNS, type SpanColumnValue } from '../span-row.js';

/**
 * Rows per INSERT statement, largest first: a batch is cut into statements of these sizes, so every
 * statement is one of a few texts that each connection prepares once (a named statement: PostgreSQL
 * parses and plans it once per connection, not once per batch). 512 is an OTLP exporter's default
 * batch; 512 rows × 20 columns = 10,240 parameters, far below PostgreSQL's 65,535.
 */
const STATEMENT_ROWS = [512, 64, 8, 1] as const;

const WIDTH = SPAN_COLUMNS.length;

function statementText(rows: number): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) tuples.push(`(${SPAN_COLUMNS.map((_, c) => `$${r * WIDTH + c + 1}`).join(', ')})`);
  return `insert into spans (${SPAN_COLUMNS.join(', ')}) values ${tuples.join(', ')} on conflict (project_id, trace_id, span_id, start_time_ms) do nothing`;
}

const STATEMENTS = new Map(STATEMENT_ROWS.map((rows) => [rows, { name: `evalops_insert_spans_${rows}`, text: statementText(rows) }]));

/**
 * A named (prepared) statement run through Kysely's PostgreSQL driver: the driver hands the query's
 * `sql` to pg's `client.query(sql, parameters)` as it is, and pg takes a `{ name, text }` config
 * there, preparing the statement on first use per connection and only binding it afterwards.
 * test/store/span-row-sink.pg.test.ts checks that the statement really is prepared.
 */
function namedQuery(rows: number, parameters: SpanColumnValue[]): CompiledQuery {
  const statement = STATEMENTS.get(rows as (typeof STATEMENT_ROWS)[number]);
  if (!statement) throw new Error(`no prepared span insert for ${rows} rows`);
  return { ...CompiledQuery.raw(statement.text, parameters), sql: { name: statement.name, text: statement.text } as unknown as string };
}

const PROJECT = SPAN_COLUMNS.indexOf('project_id');
const SESSION = SPAN_COLUMNS.indexOf('session_id');

/**
 * The rows in (project, session) order, whatever the batch's size. Each INSERT statement upserts the
 * sessions its rows name (span_sessions, migration 027) and holds their row locks to the commit. The
 * trigger's upsert orders its grouped rows, but PostgreSQL takes the locks as its rows reach the
 * conflict check, and measured with four writers of 40–300-row batches in arrival order that was not
 * one global order: they deadlocked within a second (test/store/span-sessions-concurrency.pg.test.ts;
 * the README's production walkthrough on PostgreSQL lost an OTLP request to it as a 500). Rows put in
 * one global order by the writer make every writer lock in that order: two writers wait, never
 * deadlock.
 */
function bySession(values: readonly SpanColumnValue[]): SpanColumnValue[] {
  const rows = Array.from({ length: values.length / WIDTH }, (_, r) => r * WIDTH);
  const key = (at: number): string => `${String(values[at + PROJECT])}\u0000${String(values[at + SESSION] ?? '')}`;
  const keys = new Map(rows.map((at) => [at, key(at)]));
  rows.sort((a, b) => {
    const ka = keys.get(a) as string;
    const kb = keys.get(b) as string;
    return ka < kb ? -1 : ka > kb ? 1 : a - b;
  });
  const out: SpanColumnValue[] = new Array(values.length);
  let i = 0;
  for (const at of rows) for (let c = 0; c < WIDTH; c++) out[i++] = values[at + c] as SpanColumnValue;
  return out;
}

/** Attempts of a span transaction that PostgreSQL chose as a deadlock's victim (SQLSTATE 40P01). */
export const DEADLOCK_ATTEMPTS = 3;

function isDeadlock(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '40P01';
}

export interface InsertSpanRowsOptions {
  /**
   * Times the whole transaction is tried when PostgreSQL breaks a deadlock by aborting it (default
   * DEADLOCK_ATTEMPTS). The rows' order makes span writers never deadlock with each other; another
   * writer of span_sessions (retention, a hand-written statement) still may, and the aborted
   * transaction wrote nothing, so trying it again is safe (`ON CONFLICT DO NOTHING`). 1 disables it.
   */
  readonly attempts?: number;
}

/**
 * Writes rows made by `appendSpanRow` to PostgreSQL in one transaction with prepared multi-row
 * INSERTs (`ON CONFLICT DO NOTHING`: a span stored already is skipped); returns how many were new.
 * Measured against one JSON or array parameter per batch and against unprepared multi-row inserts,
 * this costs PostgreSQL the least CPU per span: no parsing or planning per batch, no JSON or array
 * literal to parse (bench/RESULTS.md §6).
 */
export async function insertSpanRowsPostgres(db: Kysely<Database>, chunks: readonly (readonly SpanColumnValue[])[], options: InsertSpanRowsOptions = {}): Promise<number> {
  const flat = chunks.length === 1 ? (chunks[0] as readonly SpanColumnValue[]) : chunks.flat();
  const values = bySession(flat);
  const queries: CompiledQuery[] = [];
  for (let start = 0; start < values.length; ) {
    const left = (values.length - start) / WIDTH;
    const rows = STATEMENT_ROWS.find((n) => n <= left) as number;
    queries.push(namedQuery(rows, values.slice(start, start + rows * WIDTH)));
    start += rows * WIDTH;
  }
  if (queries.length === 0) return 0;
  const run = async (executor: Kysely<Database>): Promise<number> => {
    let inserted = 0;
    for (const query of queries) inserted += Number((await executor.executeQuery(query)).numAffectedRows ?? 0);
    return inserted;
  };
  const attempts = Math.max(1, options.attempts ?? DEADLOCK_ATTEMPTS);
  for (let attempt = 1; ; attempt++) {
    try {
      return await (queries.length === 1 ? run(db) : db.transaction().execute(run));
    } catch (e) {
      if (!isDeadlock(e) || attempt >= attempts) throw e;
    }
  }
}
