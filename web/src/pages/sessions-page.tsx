import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { DataTable } from '../components/data-table';
import { LoadMore } from '../components/load-more';
import { usd } from '../components/format';
import { Empty, QueryView } from '../components/states';
import { sinceOf, TIME_RANGES } from '../components/time-range';
import { FeedbackCell, timeOf } from '../components/trace-cells';
import type { SessionListAnswer } from '../components/trace-types';

const PAGE = '50';

/** Sessions (conversations), the most recently active first, 50 at a time; a row opens the session. */
export function SessionsPage() {
  const project = useParams().project ?? '';
  const [search, setSearch] = useSearchParams();
  const key = search.toString();
  const range = search.get('range') ?? '';
  const user = search.get('user') ?? '';
  const release = search.get('release') ?? '';
  // The window's start is fixed when the filter is applied, so later pages continue the same list.
  const sinceMs = useMemo(() => sinceOf(range, Date.now()), [key]);
  const sessions = useInfiniteQuery({
    queryKey: ['sessions', project, key, sinceMs],
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: SessionListAnswer) => last.nextCursor,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/projects/{project}/sessions', {
          params: {
            path: { project },
            query: { limit: PAGE, ...(sinceMs === undefined ? {} : { since: String(Math.floor(sinceMs)) }), ...(user ? { user } : {}), ...(release ? { release } : {}), ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
  });
  const rows = sessions.data?.pages.flatMap((p) => p.sessions) ?? [];
  return (
    <section aria-labelledby="sessions-title">
      <h1 id="sessions-title">Sessions</h1>
      <SessionFilters key={key} initial={{ range, user, release }} onApply={(f) => setSearch(Object.fromEntries(Object.entries(f).filter(([, v]) => v)))} />
      <QueryView query={sessions} what="sessions">
        {() =>
          rows.length === 0 ? (
            <Empty>{key ? 'No session matches these filters.' : 'No sessions yet. Spans with a session.id attribute make one.'}</Empty>
          ) : (
            <>
              <DataTable
                label="Sessions"
                rows={rows}
                rowKey={(s) => s.sessionId}
                rowHref={(s) => `/p/${encodeURIComponent(project)}/sessions/${encodeURIComponent(s.sessionId)}`}
                columns={[
                  { header: 'Session', cell: (s) => <code>{s.sessionId}</code>, width: 'minmax(9rem, 1.5fr)' },
                  { header: 'User', cell: (s) => s.userId ?? '—', width: 'minmax(6rem, 1fr)' },
                  { header: 'Traces', cell: (s) => s.traces, numeric: true, width: '4.5rem' },
                  { header: 'Last active', cell: (s) => timeOf(s.lastActivityMs), width: '11.5rem' },
                  { header: 'Tokens', cell: (s) => s.totalTokens.toLocaleString('en'), numeric: true, width: '5.5rem' },
                  { header: 'Cost', cell: (s) => usd(s.costUsd), numeric: true, width: '5.5rem' },
                  { header: 'Errors', cell: (s) => (s.errors > 0 ? <span className="fail">{s.errors}</span> : 0), numeric: true, width: '4.5rem' },
                  { header: 'Feedback', cell: (s) => <FeedbackCell feedback={s.feedback} />, width: 'minmax(8rem, 1.3fr)' },
                ]}
              />
              <LoadMore shown={rows.length} noun="session" query={sessions} />
            </>
          )
        }
      </QueryView>
    </section>
  );
}

type SessionFilterValues = { range: string; user: string; release: string };

function SessionFilters({ initial, onApply }: { initial: SessionFilterValues; onApply: (f: SessionFilterValues) => void }) {
  const [draft, setDraft] = useState(initial);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    onApply(draft);
  };
  return (
    <form className="filters" role="search" aria-label="Filter sessions" onSubmit={submit}>
      <label>
        Time{' '}
        <select value={draft.range} onChange={(e) => setDraft({ ...draft, range: e.target.value })}>
          {TIME_RANGES.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        User <input value={draft.user} onChange={(e) => setDraft({ ...draft, user: e.target.value })} size={12} />
      </label>
      <label>
        Release <input value={draft.release} onChange={(e) => setDraft({ ...draft, release: e.target.value })} size={10} />
      </label>
      <button type="submit">Apply filters</button>
    </form>
  );
}
