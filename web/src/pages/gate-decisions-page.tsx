import { useInfiniteQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { CopyLink } from '../components/copy-link';
import { api, unwrap } from '../api/client';
import { DataTable } from '../components/data-table';
import { when } from '../components/format';
import { LoadMore } from '../components/load-more';
import { OutcomeBadge, outcomeInWords } from '../components/outcome-badge';
import { Empty, QueryView } from '../components/states';

const PAGE = 100;

/** Gate decisions of a project, newest first, with the outcome in force, 100 at a time; a row opens the decision. */
export function GateDecisionsPage() {
  const project = useParams().project ?? '';
  const query = useInfiniteQuery({
    queryKey: ['gate-decisions', project, 'pages'],
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: { nextCursor?: string }) => last.nextCursor,
    queryFn: async ({ pageParam }) => unwrap(await api.GET('/projects/{project}/gate-decisions', { params: { path: { project }, query: { limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } } })),
  });
  const rows = query.data?.pages.flatMap((p) => p.decisions) ?? [];
  const base = `/p/${encodeURIComponent(project)}`;
  return (
    <section aria-labelledby="decisions-title">
      <h1 id="decisions-title">Gate decisions</h1>
      <QueryView query={query} what="gate decisions">
        {() =>
          rows.length === 0 ? (
            <Empty>No gate decisions yet. `evalops gate` decides whether the newest run may ship.</Empty>
          ) : (
            <>
              <DataTable
                label="Gate decisions"
                rows={rows}
                rowKey={(d) => d.decisionId}
                rowHref={(d) => `${base}/decisions/${d.decisionId}`}
                columns={[
                  {
                    header: 'Outcome',
                    cell: (d) => (
                      <>
                        <OutcomeBadge outcome={d.effectiveOutcome} rolloutPercent={d.effectiveRolloutPercent} />
                        {d.overrides > 0 && <span className="muted"> overridden (was {outcomeInWords(d.outcome, d.rolloutPercent)})</span>}
                      </>
                    ),
                    width: 'minmax(11rem, 1.4fr)',
                  },
                  { header: 'Decided', cell: (d) => when(d.createdAt), width: '11rem' },
                  { header: 'Variant', cell: (d) => <code title={d.variant}>{d.variantName}</code>, width: 'minmax(10rem, 1.2fr)' },
                  { header: 'Decision', cell: (d) => <code>{d.decisionId}</code>, width: '14rem', link: true },
                  { header: '', cell: (d) => <CopyLink to={`${base}/decisions/${d.decisionId}`} what={`decision ${d.decisionId}`} />, width: '5.5rem' },
                  { header: 'Summary', cell: (d) => <span className="clip">{d.summary}</span>, width: 'minmax(16rem, 3fr)' },
                  { header: 'Owners asked', cell: (d) => (d.owners.length ? d.owners.map((o) => <div key={o}>{o}</div>) : '—'), width: 'minmax(12rem, 1.2fr)' },
                ]}
              />
              <LoadMore shown={rows.length} noun="decision" query={query} />
            </>
          )
        }
      </QueryView>
    </section>
  );
}
