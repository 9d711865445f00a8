import { Link } from 'react-router';
import type { Column } from './data-table';
import { usd } from './format';
import { dur } from './span-waterfall';
import { FeedbackCell, OnlineBadges, timeOf, TraceStatus } from './trace-cells';
import type { SessionWithTraces, TraceSummary } from './trace-types';

/** A row of a trace list: the list's items carry previews and online verdicts, a session's traces not. */
export type TraceRow = SessionWithTraces['traces'][number] & Partial<Pick<TraceSummary, 'inputPreview' | 'outputPreview' | 'online'>>;

/**
 * The columns of a trace list: time (the row's link), root span, input and output previews, model,
 * status, duration, tokens, cost, online verdicts, feedback (and session).
 */
export function traceColumns(project: string, { session = true }: { session?: boolean } = {}): Column<TraceRow>[] {
  return [
    { header: 'Time', cell: (t) => <time dateTime={new Date(t.startTimeMs).toISOString()}>{timeOf(t.startTimeMs)}</time>, width: '10.5rem', link: true },
    {
      header: 'Root span',
      cell: (t) => (
        <span>
          <span className={`kind kind-${t.kind.toLowerCase()}`}>{t.kind}</span> {t.name}
        </span>
      ),
      width: 'minmax(8rem, 1fr)',
    },
    { header: 'Input', cell: (t) => <span className="clip" title={t.inputPreview}>{t.inputPreview ?? '—'}</span>, width: 'minmax(10rem, 2fr)' },
    { header: 'Output', cell: (t) => <span className="clip" title={t.outputPreview}>{t.outputPreview ?? '—'}</span>, width: 'minmax(10rem, 2fr)' },
    { header: 'Model', cell: (t) => t.model ?? <span className="muted">—</span>, width: 'minmax(6rem, 1fr)' },
    { header: 'Status', cell: (t) => <TraceStatus status={t.status} errors={t.errors} />, width: '7rem' },
    { header: 'Duration', cell: (t) => dur(t.durationMs), numeric: true, width: '6rem' },
    { header: 'Tokens', cell: (t) => (t.inputTokens + t.outputTokens).toLocaleString('en'), numeric: true, width: '5.5rem' },
    { header: 'Cost', cell: (t) => usd(t.costUsd), numeric: true, width: '5.5rem' },
    { header: 'Online', cell: (t) => <OnlineBadges online={t.online} />, width: 'minmax(7rem, 1.2fr)' },
    { header: 'Feedback', cell: (t) => <FeedbackCell feedback={t.feedback} />, width: 'minmax(8rem, 1.3fr)' },
    ...(session
      ? [
          {
            header: 'Session',
            cell: (t: TraceRow) =>
              t.sessionId ? (
                <Link to={`/p/${encodeURIComponent(project)}/sessions/${encodeURIComponent(t.sessionId)}`} onClick={(e) => e.stopPropagation()}>
                  {t.sessionId}
                </Link>
              ) : (
                <span className="muted">—</span>
              ),
            width: 'minmax(7rem, 1fr)',
          },
        ]
      : []),
  ];
}
