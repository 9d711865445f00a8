import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { DataTable } from '../components/data-table';
import { when } from '../components/format';
import { OutcomeBadge, outcomeInWords } from '../components/outcome-badge';
import { Empty, QueryView } from '../components/states';

const PAGE = 100;
const MAX = 1000;

/** Gate decisions of a project, newest first, with the outcome in force; a row opens the decision. */
export function GateDecisionsPage() {
  const project = useParams().project ?? '';
  const navigate = useNavigate();
  const [limit, setLimit] = useState(PAGE);
  const query = useQuery({
    queryKey: ['gate-decisions', project, limit],
    queryFn: async () => unwrap(await api.GET('/projects/{project}/gate-decisions', { params: { path: { project }, query: { limit } } })),
    placeholderData: keepPreviousData,
  });
  const base = `/p/${encodeURIComponent(project)}`;
  return (
    <section aria-labelledby="decisions-title">
      <h1 id="decisions-title">Gate decisions</h1>
      <QueryView query={query} what="gate decisions">
        {(data) =>
          data.decisions.length === 0 ? (
            <Empty>No gate decisions yet. `evalops gate` decides whether the newest run may ship.</Empty>
          ) : (
            <>
              <DataTable
                label="Gate decisions"
                rows={data.decisions}
                rowKey={(d) => d.decisionId}
                onOpen={(d) => navigate(`${base}/decisions/${d.decisionId}`)}
                columns={[
                  {
                    header: 'Outcome',
                    cell: (d) => (
                      <>
                        <OutcomeBadge outcome={d.effectiveOutcome} rolloutPercent={d.effectiveOutcome === d.outcome ? d.rolloutPercent : null} />
                        {d.overrides > 0 && <span className="muted"> overridden (was {outcomeInWords(d.outcome, d.rolloutPercent)})</span>}
                      </>
                    ),
                    width: 'minmax(11rem, 1.4fr)',
                  },
                  { header: 'Decided', cell: (d) => when(d.createdAt), width: '11rem' },
                  { header: 'Variant', cell: (d) => <code>{d.variant}</code>, width: '10rem' },
                  { header: 'Decision', cell: (d) => <code>{d.decisionId}</code>, width: '14rem' },
                  { header: 'Summary', cell: (d) => <span className="clip">{d.summary}</span>, width: 'minmax(16rem, 3fr)' },
                  { header: 'Owners asked', cell: (d) => (d.owners.length ? d.owners.map((o) => <div key={o}>{o}</div>) : '—'), width: 'minmax(12rem, 1.2fr)' },
                ]}
              />
              {data.decisions.length >= limit && limit < MAX && (
                <p>
                  <button type="button" className="secondary" onClick={() => setLimit(Math.min(MAX, limit + PAGE))}>
                    Show {PAGE} more
                  </button>
                </p>
              )}
            </>
          )
        }
      </QueryView>
    </section>
  );
}
