import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { AgreementPanel } from '../components/agreement-panel';
import { DataTable } from '../components/data-table';
import { DisputedItems } from '../components/disputed-items';
import { text } from '../components/format';
import { LoadMore } from '../components/load-more';
import { QueueProgressBar, ReviewerProgress } from '../components/queue-progress';
import { fetchAgreement, fetchItems, fetchQueue, type ItemStatus, type Queue, type QueueItem } from '../components/review-api';
import { Empty, QueryView } from '../components/states';
import { useSession } from '../session/session-context';
import '../review.css';

const PAGE = 100;

/** One queue: progress per reviewer, agreement, the disputed items (adjudicated by owners) and every item. */
export function ReviewQueuePage() {
  const { project = '', queue = '' } = useParams();
  const query = useQuery({ queryKey: ['review-queue', project, queue], queryFn: () => fetchQueue(project, queue) });
  return (
    <QueryView query={query} what="the review queue">
      {(q) => <QueueView project={project} queue={q} />}
    </QueryView>
  );
}

function QueueView({ project, queue: q }: { project: string; queue: Queue }) {
  const { session, can } = useSession();
  const agreement = useQuery({ queryKey: ['review-agreement', project, q.name], queryFn: () => fetchAgreement(project, q.name) });
  const base = `/p/${encodeURIComponent(project)}/review`;
  const mayReview = can('reviewer') && (q.reviewers.length === 0 || q.reviewers.includes(session.actor));
  return (
    <section aria-labelledby="queue-title">
      <p className="crumbs">
        <Link to={base}>Review queues</Link> ›
      </p>
      <div className="title-row">
        <h1 id="queue-title">Queue {q.name}</h1>
        {mayReview && (
          <Link className="button primary" to={`${base}/${encodeURIComponent(q.name)}/next`}>
            Start reviewing
          </Link>
        )}
      </div>
      <p className="meta">
        metric <strong>{q.metric}</strong> · {q.reviewersPerItem} {q.reviewersPerItem === 1 ? 'reviewer' : 'reviewers'} per item · lease {q.leaseMinutes} min · reviewers {q.reviewers.length ? q.reviewers.join(', ') : 'any key with the reviewer role'} · rubric{' '}
        {q.rubric.labels.map((l) => l.label).join(q.rubric.ordinal ? ' < ' : ', ')} (pass: {q.rubric.pass.join(', ')})
      </p>
      <QueueProgressBar progress={q.progress} name={q.name} />
      <h2>Progress per reviewer</h2>
      <ReviewerProgress progress={q.progress} />
      <QueryView query={agreement} what="agreement">
        {(a) => (a.nRatings === 0 ? <Empty>No labels yet: agreement shows once reviewers have labelled items.</Empty> : <AgreementPanel agreement={a} />)}
      </QueryView>
      <DisputedItems project={project} queue={q.name} labels={q.rubric.labels.map((l) => l.label)} mayAdjudicate={can('owner')} />
      <QueueItems project={project} queue={q.name} />
    </section>
  );
}

const STATUS_WORDS: Record<ItemStatus, string> = { all: 'All', open: 'Open', settled: 'Settled', disputed: 'Disputed' };

function itemStatus(i: QueueItem, perItem: number): string {
  if (i.truth !== null) return i.truthBy === 'consensus' ? `settled: ${i.truth}` : `adjudicated: ${i.truth}`;
  return i.labelled >= perItem ? 'disputed' : `open (${i.labelled} labelled)`;
}

/** Every item of the queue in queue order, filtered by status on the server, 100 at a time. */
function QueueItems({ project, queue }: { project: string; queue: string }) {
  const id = useId();
  const [status, setStatus] = useState<ItemStatus>('all');
  const perItem = useQuery({ queryKey: ['review-queue', project, queue], queryFn: () => fetchQueue(project, queue) }).data?.reviewersPerItem ?? 1;
  const query = useInfiniteQuery({
    queryKey: ['review-items', project, queue, status, 'pages'],
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last: { nextAfter: number | null }) => last.nextAfter ?? undefined,
    queryFn: ({ pageParam }) => fetchItems(project, queue, status, pageParam, PAGE),
  });
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Items</h2>
      <div className="filters">
        <label htmlFor={`${id}-status`}>Status</label>
        <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.target.value as ItemStatus)}>
          {(Object.keys(STATUS_WORDS) as ItemStatus[]).map((s) => (
            <option key={s} value={s}>
              {STATUS_WORDS[s]}
            </option>
          ))}
        </select>
      </div>
      <QueryView query={query} what="items">
        {() =>
          rows.length === 0 ? (
            <Empty>{status === 'all' ? 'No items in this queue yet: route run results or traces into it.' : `No ${STATUS_WORDS[status].toLowerCase()} items.`}</Empty>
          ) : (
            <>
              <DataTable
                label="Queue items"
                rows={rows}
                rowKey={(i) => i.id}
                height={420}
                rowHref={(i) => (i.runId ? `/p/${encodeURIComponent(project)}/runs/${i.runId}` : `/p/${encodeURIComponent(project)}/traces/${i.traceId ?? ''}`)}
                columns={[
                  { header: '#', cell: (i) => i.position + 1, width: '3rem', numeric: true },
                  { header: 'Item', cell: (i) => <code>{i.exampleId ?? i.traceId ?? i.id}</code>, width: 'minmax(9rem, 1fr)' },
                  { header: 'Why', cell: (i) => i.reason, width: '7rem' },
                  { header: 'Status', cell: (i) => itemStatus(i, perItem), width: 'minmax(9rem, 1fr)' },
                  { header: 'Labels', cell: (i) => (i.labels.length ? i.labels.map((l) => `${l.reviewer}: ${l.label}`).join('; ') : '—'), width: 'minmax(14rem, 2fr)' },
                  { header: 'Output', cell: (i) => <span className="clip">{text(i.output)}</span>, width: 'minmax(14rem, 3fr)' },
                ]}
              />
              <LoadMore shown={rows.length} noun="item" query={query} />
            </>
          )
        }
      </QueryView>
    </section>
  );
}
