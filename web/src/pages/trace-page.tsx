import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { AddToDataset } from '../components/add-to-dataset';
import { usd } from '../components/format';
import { SpanDetail } from '../components/span-detail';
import { dur, spanTree, SpanWaterfall } from '../components/span-waterfall';
import { Empty, QueryView } from '../components/states';
import { timeOf } from '../components/trace-cells';
import { TraceOnlineScores } from '../components/trace-online-scores';
import type { FeedbackItem, Span } from '../components/trace-types';
import { useSession } from '../session/session-context';

/**
 * One trace: its span tree as a waterfall, the selected span in full (messages, tool calls, model,
 * tokens, cost, timing, status, attributes), the feedback on it, what the online rules scored on it,
 * and "Add to dataset".
 */
export function TracePage() {
  const { project = '', traceId = '' } = useParams();
  const trace = useQuery({ queryKey: ['trace', project, traceId], queryFn: async () => unwrap(await api.GET('/projects/{project}/traces/{traceId}', { params: { path: { project, traceId } } })) });
  const feedback = useQuery({
    queryKey: ['trace-feedback', project, traceId],
    queryFn: async () => unwrap(await api.GET('/projects/{project}/traces/{traceId}/feedback', { params: { path: { project, traceId } } })),
  });
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const { can } = useSession();
  const base = `/p/${encodeURIComponent(project)}`;
  return (
    <QueryView query={trace} what="the trace">
      {(data) => {
        const tree = spanTree(data.spans);
        const root = tree[0]?.span as Span;
        const current = tree.find((t) => t.span.spanId === selected)?.span ?? root;
        const start = Math.min(...data.spans.map((s) => s.startTimeMs));
        const end = Math.max(...data.spans.map((s) => s.endTimeMs));
        const tokens = data.spans.reduce((n, s) => n + (s.usage.inputTokens ?? 0) + (s.usage.outputTokens ?? 0), 0);
        const costs = data.spans.flatMap((s) => (s.costUsd === undefined ? [] : [s.costUsd]));
        const errors = data.spans.filter((s) => s.status === 'error').length;
        const first = <K extends 'sessionId' | 'userId' | 'release'>(k: K): string | undefined => root[k] ?? data.spans.find((s) => s[k] !== undefined)?.[k];
        const sessionId = first('sessionId');
        return (
          <section aria-labelledby="trace-title">
            <p className="crumbs">
              <Link to={`${base}/traces`}>Traces</Link>
              {sessionId && (
                <>
                  {' '}
                  · <Link to={`${base}/sessions/${encodeURIComponent(sessionId)}`}>session {sessionId}</Link>
                </>
              )}
            </p>
            <div className="title-row">
              <h1 id="trace-title">
                Trace {root.name} {errors > 0 ? <span className="badge failed">{errors === 1 ? '1 error' : `${errors} errors`}</span> : <span className="badge completed">ok</span>}
              </h1>
              <span>
                <AddToDataset project={project} target={{ traceIds: [data.traceId] }} label="Add to dataset" />
                {can('engineer') && <Link to={`${base}/playground?trace=${encodeURIComponent(data.traceId)}`}>Try its input in the playground</Link>}
              </span>
            </div>
            <p className="meta">
              <code>{data.traceId}</code> · {timeOf(start)} · {dur(end - start)} · {data.spans.length} spans · {tokens.toLocaleString('en')} tokens · cost {usd(costs.length ? costs.reduce((a, b) => a + b, 0) : undefined)}
              {first('release') ? ` · release ${first('release')}` : ''}
              {first('userId') ? ` · user ${first('userId')}` : ''}
            </p>
            <MappingNotices notices={data.notices} spans={data.spans} onSelect={setSelected} />
            <div className="trace-layout">
              <SpanWaterfall tree={tree} selected={current.spanId} onSelect={setSelected} />
              <SpanDetail span={current} traceStartMs={start} />
            </div>
            <h2 id="feedback-title">Feedback</h2>
            <QueryView query={feedback} what="feedback">
              {(fb) => (fb.feedback.length === 0 ? <Empty>No feedback on this trace.</Empty> : <FeedbackList items={fb.feedback} />)}
            </QueryView>
            <TraceOnlineScores project={project} traceId={data.traceId} />
          </section>
        );
      }}
    </QueryView>
  );
}

interface Notice {
  readonly kind: string;
  readonly message: string;
  readonly spanId?: string;
}

/** How the spans were read: malformed attributes, or a trace where no convention found an input or output. */
function MappingNotices({ notices, spans, onSelect }: { notices: readonly Notice[]; spans: readonly Span[]; onSelect: (spanId: string) => void }) {
  if (notices.length === 0) return null;
  const nameOf = (spanId: string) => spans.find((s) => s.spanId === spanId)?.name ?? spanId;
  return (
    <div className="warning" role="note" aria-label="Mapping notices">
      <strong>Mapping</strong> — see docs/integrations.md for the conventions EvalOps reads.
      <ul>
        {notices.map((n, i) => (
          <li key={i}>
            {n.message}
            {n.spanId ? (
              <>
                {' '}
                (span{' '}
                <button type="button" className="link" onClick={() => onSelect(n.spanId as string)}>
                  {nameOf(n.spanId)}
                </button>
                )
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

const valueOf = (f: FeedbackItem): string => (f.kind === 'thumbs' ? (f.value === 1 ? 'thumbs up' : 'thumbs down') : f.kind === 'signal' ? `${f.name ?? 'signal'} = ${f.value ?? ''}` : 'comment');

function FeedbackList({ items }: { items: readonly FeedbackItem[] }) {
  return (
    <ul className="feedback-list" aria-labelledby="feedback-title">
      {items.map((f) => (
        <li key={f.id} className={f.kind === 'thumbs' && f.value === 0 ? 'negative' : undefined}>
          <strong>{valueOf(f)}</strong>
          {f.comment ? <q>{f.comment}</q> : null}
          <span className="muted">
            {f.userId ? `${f.userId} · ` : ''}
            {f.createdAt.replace('T', ' ').slice(0, 19)}
          </span>
        </li>
      ))}
    </ul>
  );
}
