import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { DataTable } from '../components/data-table';
import { usd } from '../components/format';
import { Empty, QueryView } from '../components/states';
import { FeedbackCell, timeOf } from '../components/trace-cells';
import { traceColumns } from '../components/trace-columns';

/** One session (a conversation): its figures and its traces in the order they happened. */
export function SessionPage() {
  const { project = '', sessionId = '' } = useParams();
  const query = useQuery({
    queryKey: ['session', project, sessionId],
    queryFn: async () => unwrap(await api.GET('/projects/{project}/sessions/{sessionId}', { params: { path: { project, sessionId } } })),
  });
  const base = `/p/${encodeURIComponent(project)}`;
  return (
    <QueryView query={query} what="the session">
      {({ session, traces }) => (
        <section aria-labelledby="session-title">
          <p className="crumbs">
            <Link to={`${base}/sessions`}>Sessions</Link>
          </p>
          <h1 id="session-title">
            Session <code>{session.sessionId}</code>
          </h1>
          <p className="meta">
            {session.userId ? `user ${session.userId} · ` : ''}
            {session.traces} trace{session.traces === 1 ? '' : 's'} · {timeOf(session.firstTimeMs)} → {timeOf(session.lastTimeMs)} · {session.totalTokens.toLocaleString('en')} tokens · cost {usd(session.costUsd)} ·{' '}
            {session.errors} with errors · feedback <FeedbackCell feedback={session.feedback} />
          </p>
          <h2>Traces, in order</h2>
          {traces.length === 0 ? (
            <Empty>No traces stored for this session.</Empty>
          ) : (
            <DataTable label="Session traces" rows={traces} rowKey={(t) => t.traceId} columns={traceColumns(project, { session: false })} rowHref={(t) => `${base}/traces/${t.traceId}`} />
          )}
        </section>
      )}
    </QueryView>
  );
}
