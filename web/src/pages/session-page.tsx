import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { DataTable } from '../components/data-table';
import { usd } from '../components/format';
import { Empty, QueryView } from '../components/states';
import { FeedbackCell, timeOf } from '../components/trace-cells';
import { traceColumns } from '../components/trace-columns';
import { asTranscriptView } from '../components/transcript';
import { TranscriptView } from '../components/transcript-view';

/**
 * One session (a conversation): its figures, its session scores (rules with `target: sessions`), its
 * traces as a transcript, and the traces in the order they happened.
 */
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
          <SessionConversation project={project} sessionId={session.sessionId} />
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

/** The session's session-rule scores and its transcript (one turn per trace). */
function SessionConversation({ project, sessionId }: { project: string; sessionId: string }) {
  const query = useQuery({
    queryKey: ['session-transcript', project, sessionId],
    queryFn: async () => unwrap(await api.GET('/projects/{project}/sessions/{sessionId}/transcript', { params: { path: { project, sessionId } } })),
  });
  return (
    <QueryView query={query} what="the transcript">
      {({ transcript, rules }) => {
        const view = asTranscriptView(transcript);
        return (
          <>
            <h2>Session scores</h2>
            {rules.length === 0 ? (
              <Empty>No online rule scores sessions of this project (an online rule with target: sessions does).</Empty>
            ) : (
              <table className="session-scores" aria-label="Session scores">
                <thead>
                  <tr>
                    <th scope="col">Rule</th>
                    <th scope="col">State</th>
                    <th scope="col">Flags</th>
                    <th scope="col">Scores</th>
                  </tr>
                </thead>
                <tbody>
                  {rules.map((r) => (
                    <tr key={r.rule}>
                      <td>{r.rule}</td>
                      <td>{r.pending ? (r.ended ? 'ended, waiting to be scored' : 'open (waiting for idleness or an end)') : `scored${r.scorings > 1 ? ` ${r.scorings} times` : ''} over ${r.scoredTraces ?? 0} traces`}</td>
                      <td>{r.flags.length === 0 ? '—' : r.flags.map((f) => <span key={f} className="chip fail">{f}</span>)}</td>
                      <td>
                        {r.scores.length === 0 ? (
                          <span className="muted">{r.sampled === null && !r.pending ? 'not in the sample' : '—'}</span>
                        ) : (
                          <span className="scores">
                            {r.scores.map((s) => (
                              <span key={s.metric} className={`score ${s.status !== 'scored' ? s.status : s.pass ? 'pass' : 'fail'}`} title={s.reason ?? ''}>
                                {s.metric}: {s.status !== 'scored' ? s.status : s.pass ? 'pass' : 'fail'}
                              </span>
                            ))}
                          </span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {view && <TranscriptView transcript={view} label="Conversation" />}
          </>
        );
      }}
    </QueryView>
  );
}
