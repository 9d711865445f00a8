import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { DataTable } from '../components/data-table';
import { pct, variantName, when } from '../components/format';
import { Empty, QueryView } from '../components/states';

const STATUSES = ['', 'completed', 'incomplete', 'running', 'failed'] as const;

/** Runs of the project, newest first, filtered by status; a row opens the run. */
export function RunsPage() {
  const project = useParams().project ?? '';
  const navigate = useNavigate();
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('');
  const query = useQuery({
    queryKey: ['runs', project, status],
    queryFn: async () => unwrap(await api.GET('/projects/{project}/runs', { params: { path: { project }, query: { limit: 500, ...(status ? { status } : {}) } } })),
  });
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
              onOpen={(r) => navigate(`/p/${encodeURIComponent(project)}/runs/${r.runId}`)}
              columns={[
                { header: 'Run', cell: (r) => <code>{r.runId}</code>, width: 'minmax(10rem, 1.2fr)' },
                { header: 'Status', cell: (r) => <span className={`badge ${r.status}`}>{r.status}</span>, width: '7rem' },
                { header: 'Started', cell: (r) => when(r.startedAt), width: '11rem' },
                { header: 'Variant', cell: (r) => <span title={r.target.variant}>{variantName(r.target)}</span>, width: 'minmax(10rem, 1.2fr)' },
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
