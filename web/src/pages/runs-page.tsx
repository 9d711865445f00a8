import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { DataTable } from '../components/data-table';
import { pct, variantName, when } from '../components/format';
import { Empty, QueryView } from '../components/states';
import { CopyLink } from '../components/copy-link';
import { OutcomeBadge } from '../components/outcome-badge';

const STATUSES = ['', 'completed', 'incomplete', 'running', 'failed'] as const;

/** Runs of the project, newest first, filtered by status; a row opens the run. */
export function RunsPage() {
  const project = useParams().project ?? '';
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('');
  const query = useQuery({
    queryKey: ['runs', project, status],
    queryFn: async () => unwrap(await api.GET('/projects/{project}/runs', { params: { path: { project }, query: { limit: 500, ...(status ? { status } : {}) } } })),
  });
  // The gate outcome of each run: the newest decision that took it as its candidate (outcome in force).
  const decisions = useQuery({
    queryKey: ['gate-decisions', project, 'by-run'],
    queryFn: async () => unwrap(await api.GET('/projects/{project}/gate-decisions', { params: { path: { project }, query: { limit: 1000 } } })),
  });
  const gateOf = new Map<string, NonNullable<typeof decisions.data>['decisions'][number]>();
  for (const d of decisions.data?.decisions ?? []) if (!gateOf.has(d.candidateRunId)) gateOf.set(d.candidateRunId, d);
  const base = `/p/${encodeURIComponent(project)}`;
  return (
    <section aria-labelledby="runs-title">
      <h1 id="runs-title">Runs</h1>
      <div className="filters">
        <label>
          Status{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value as (typeof STATUSES)[number])}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s || 'any'}
              </option>
            ))}
          </select>
        </label>
      </div>
      <QueryView query={query} what="runs">
        {(data) =>
          data.runs.length === 0 ? (
            <Empty>No runs yet. Run `evalops run` to create one.</Empty>
          ) : (
            <DataTable
              label="Runs"
              rows={data.runs}
              rowKey={(r) => r.runId}
              rowHref={(r) => `${base}/runs/${r.runId}`}
              columns={[
                { header: 'Run', cell: (r) => <code>{r.runId}</code>, width: 'minmax(10rem, 1.2fr)' },
                { header: '', cell: (r) => <CopyLink to={`${base}/runs/${r.runId}`} what={`run ${r.runId}`} />, width: '5.5rem' },
                { header: 'Status', cell: (r) => <span className={`badge ${r.status}`}>{r.status}</span>, width: '7rem' },
                { header: 'Started', cell: (r) => when(r.startedAt), width: '11rem' },
                { header: 'Variant', cell: (r) => <span title={r.target.variant}>{variantName(r.target)}</span>, width: 'minmax(10rem, 1.2fr)' },
                {
                  header: 'Gate',
                  cell: (r) => {
                    const d = gateOf.get(r.runId);
                    return d ? (
                      <Link to={`${base}/decisions/${d.decisionId}`} title={`gate decision ${d.decisionId}`}>
                        <OutcomeBadge outcome={d.effectiveOutcome} rolloutPercent={d.effectiveRolloutPercent} />
                      </Link>
                    ) : (
                      <span className="muted">not gated</span>
                    );
                  },
                  width: '9rem',
                },
                { header: 'Results', cell: (r) => r.results ?? '—', numeric: true, width: '5rem' },
                { header: 'Pass rates', cell: (r) => (r.passRates ? Object.entries(r.passRates).map(([m, v]) => `${m} ${pct(v)}`).join(' · ') : '—'), width: 'minmax(12rem, 3fr)' },
              ]}
            />
          )
        }
      </QueryView>
    </section>
  );
}
