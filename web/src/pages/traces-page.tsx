import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { AddToDataset } from '../components/add-to-dataset';
import { DataTable, type Column } from '../components/data-table';
import { LoadMore } from '../components/load-more';
import { Empty, QueryView } from '../components/states';
import { sinceOf, TIME_RANGES } from '../components/time-range';
import { traceColumns, type TraceRow } from '../components/trace-columns';
import type { TraceListAnswer, TraceQuery } from '../components/trace-types';
import { triageHref } from '../components/triage-source';
import { useSession } from '../session/session-context';

const KINDS = ['AGENT', 'LLM', 'TOOL', 'CHAIN', 'RETRIEVER', 'EMBEDDING', 'RERANKER', 'GUARDRAIL', 'EVALUATOR', 'PROMPT', 'UNKNOWN'] as const;
const FEEDBACK = [
  ['', 'Any'],
  ['any', 'With feedback'],
  ['none', 'Without feedback'],
  ['negative', 'Thumbs down'],
  ['positive', 'Thumbs up'],
] as const;
/** The filters, as they appear in the page's URL (so a filtered list can be shared and reloaded). */
const FILTERS = ['range', 'release', 'kind', 'errors', 'hasFeedback', 'attr', 'session', 'user'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;
const PAGE = '50';
/** "All matching the filter" promotes at most this many (the list's largest page). */
const PROMOTE_ALL_LIMIT = '1000';

const filtersOf = (search: URLSearchParams): Filters => Object.fromEntries(FILTERS.flatMap((k) => (search.get(k) ? [[k, search.get(k) as string]] : [])));

/** The list's query for the applied filters; `since` from the time window as of when it was applied. */
function queryOf(f: Filters, sinceMs: number | undefined): TraceQuery {
  return {
    ...(sinceMs === undefined ? {} : { since: String(Math.floor(sinceMs)) }),
    ...(f.release ? { release: f.release } : {}),
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.errors === 'true' ? { errors: 'true' as const } : {}),
    ...(f.hasFeedback ? { hasFeedback: f.hasFeedback as NonNullable<TraceQuery['hasFeedback']> } : {}),
    ...(f.attr ? { attr: [f.attr] } : {}),
    ...(f.session ? { session: f.session } : {}),
    ...(f.user ? { user: f.user } : {}),
  };
}

/**
 * Traces of the project, newest first: filtered on the server, a page of 50 at a time ("Load more"
 * follows the server's cursor). A row opens the trace; engineers can select traces, or take all that
 * match the filter, and add them to a dataset.
 */
export function TracesPage() {
  const project = useParams().project ?? '';
  const { can } = useSession();
  const [search, setSearch] = useSearchParams();
  const applied = filtersOf(search);
  const key = search.toString();
  // The window's start is fixed when the filter is applied, so later pages continue the same list.
  const sinceMs = useMemo(() => sinceOf(applied.range ?? null, Date.now()), [key]);
  const query = queryOf(applied, sinceMs);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const traces = useInfiniteQuery({
    queryKey: ['traces', project, key, sinceMs],
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: TraceListAnswer) => last.nextCursor,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET('/projects/{project}/traces', { params: { path: { project }, query: { ...query, limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } } })),
  });

  const apply = (f: Filters): void => {
    setSelected(new Set());
    setSearch(Object.fromEntries(Object.entries(f).filter(([, v]) => v)) as Record<string, string>);
  };
  const toggle = (id: string, on: boolean): void => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const rows = traces.data?.pages.flatMap((p) => p.traces) ?? [];
  const selectColumn: Column<TraceRow> = {
    header: 'Select',
    cell: (t) => <input type="checkbox" aria-label={`Select trace ${t.name} at ${new Date(t.startTimeMs).toISOString()}`} checked={selected.has(t.traceId)} onClick={(e) => e.stopPropagation()} onChange={(e) => toggle(t.traceId, e.target.checked)} />,
    width: '3.5rem',
  };
  const columns = [...(can('engineer') ? [selectColumn] : []), ...traceColumns(project)];

  return (
    <section aria-labelledby="traces-title">
      <h1 id="traces-title">Traces</h1>
      <TraceFilters key={key} initial={applied} onApply={apply} />
      <p className="actions">
        <Link className="button" to={triageHref(project, { kind: 'traces', filter: { ...query } })}>
          Triage these traces
        </Link>{' '}
        <span className="muted">{applied.errors === 'true' ? 'clusters the traces the filter selects' : 'clusters every trace the filter selects: filter to errors (or a release) to triage failures'}</span>
      </p>
      <QueryView query={traces} what="traces">
        {() =>
          rows.length === 0 ? (
            <Empty>{Object.keys(applied).length > 0 ? 'No trace matches these filters.' : 'No traces yet. Send OpenTelemetry spans to /v1/traces with an ingest key.'}</Empty>
          ) : (
            <>
              {can('engineer') && (
                <div className="toolbar" role="group" aria-label="Selection">
                  <span className="muted" aria-live="polite">
                    {selected.size} selected
                  </span>
                  <button type="button" className="link" onClick={() => setSelected(new Set(rows.map((r) => r.traceId)))}>
                    Select all loaded ({rows.length})
                  </button>
                  <button type="button" className="link" disabled={selected.size === 0} onClick={() => setSelected(new Set())}>
                    Clear selection
                  </button>
                  <AddToDataset project={project} target={{ traceIds: [...selected] }} label={`Add ${selected.size} selected to dataset`} disabled={selected.size === 0} />
                  <AddToDataset project={project} target={{ filter: { ...query, limit: PROMOTE_ALL_LIMIT } }} label="Add all matching the filter to dataset" />
                </div>
              )}
              <DataTable label="Traces" rows={rows} rowKey={(t) => t.traceId} columns={columns} rowHref={(t) => `/p/${encodeURIComponent(project)}/traces/${t.traceId}`} />
              <LoadMore shown={rows.length} noun="trace" query={traces} />
            </>
          )
        }
      </QueryView>
    </section>
  );
}

/** The filter form; applied on submit (Enter in any field), cleared at once. */
function TraceFilters({ initial, onApply }: { initial: Filters; onApply: (f: Filters) => void }) {
  const [draft, setDraft] = useState<Filters>(initial);
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    onApply(draft);
  };
  const attrInvalid = draft.attr !== undefined && draft.attr !== '' && !/^[^=\s]+=/.test(draft.attr);
  return (
    <form className="filters trace-filters" role="search" aria-label="Filter traces" onSubmit={submit}>
      <label>
        Time{' '}
        <select value={draft.range ?? ''} onChange={set('range')}>
          {TIME_RANGES.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Release <input value={draft.release ?? ''} onChange={set('release')} size={10} />
      </label>
      <label>
        Kind{' '}
        <select value={draft.kind ?? ''} onChange={set('kind')}>
          <option value="">Any</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <label>
        Feedback{' '}
        <select value={draft.hasFeedback ?? ''} onChange={set('hasFeedback')}>
          {FEEDBACK.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        <input type="checkbox" checked={draft.errors === 'true'} onChange={(e) => setDraft({ ...draft, errors: e.target.checked ? 'true' : '' })} /> Errors only
      </label>
      <label>
        Attribute <input value={draft.attr ?? ''} onChange={set('attr')} placeholder="key=value" size={16} aria-invalid={attrInvalid} />
      </label>
      <label>
        Session <input value={draft.session ?? ''} onChange={set('session')} size={10} />
      </label>
      <label>
        User <input value={draft.user ?? ''} onChange={set('user')} size={10} />
      </label>
      <button type="submit" disabled={attrInvalid}>
        Apply filters
      </button>
      <button
        type="button"
        className="link"
        onClick={() => {
          setDraft({});
          onApply({});
        }}
      >
        Clear
      </button>
      {attrInvalid && <p className="error">An attribute filter is key=value, e.g. llm.model_name=gpt-4.1</p>}
    </form>
  );
}
