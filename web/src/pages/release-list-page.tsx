import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { DataTable } from '../components/data-table';
import { when } from '../components/format';
import { ReleaseBadge, releaseInWords, type ReleaseStatus } from '../components/outcome-badge';
import { Empty, QueryView } from '../components/states';

const STATUSES = ['', 'candidate', 'approved', 'canary', 'live', 'rolled_back'] as const;
const PAGE = 200;
const MAX = 10_000;

/** Releases of a project, most recently changed first, filtered by status; a row opens the release. */
export function ReleaseListPage() {
  const project = useParams().project ?? '';
  const navigate = useNavigate();
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('');
  const [limit, setLimit] = useState(PAGE);
  const query = useQuery({
    queryKey: ['releases', project, status, limit],
    queryFn: async () => unwrap(await api.GET('/projects/{project}/releases', { params: { path: { project }, query: { limit, ...(status ? { status } : {}) } } })),
    placeholderData: keepPreviousData,
  });
  const base = `/p/${encodeURIComponent(project)}`;
  return (
    <section aria-labelledby="releases-title">
      <h1 id="releases-title">Releases</h1>
      <div className="filters">
        <label>
          Status{' '}
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as (typeof STATUSES)[number]);
              setLimit(PAGE);
            }}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s ? releaseInWords(s) : 'any'}
              </option>
            ))}
          </select>
        </label>
      </div>
      <QueryView query={query} what="releases">
        {(data) =>
          data.releases.length === 0 ? (
            <Empty>{status ? `No release is ${releaseInWords(status).toLowerCase()}.` : 'No releases yet. A gate decision starts the release of its variant.'}</Empty>
          ) : (
            <>
              <p className="traffic-split" aria-label="Traffic split">
                Traffic: {data.traffic.summary}
              </p>
              <DataTable
                label="Releases"
                rows={data.releases}
                rowKey={(r) => r.id}
                onOpen={(r) => navigate(`${base}/releases/${r.id}`)}
                columns={[
                  { header: 'Variant', cell: (r) => <code title={r.variant}>{r.variantName}</code>, width: 'minmax(12rem, 1.4fr)' },
                  { header: 'Status', cell: (r) => <ReleaseBadge status={r.status as ReleaseStatus} canaryPercent={r.canaryPercent} hold={r.hold} />, width: 'minmax(12rem, 1.3fr)' },
                  { header: 'Traffic', cell: (r) => `${r.trafficPercent}%`, numeric: true, width: '5rem' },
                  {
                    header: 'Decision',
                    cell: (r) =>
                      r.decisionId ? (
                        <Link to={`${base}/decisions/${r.decisionId}`} onClick={(e) => e.stopPropagation()}>
                          <code>{r.decisionId}</code>
                        </Link>
                      ) : (
                        '—'
                      ),
                    width: 'minmax(10rem, 1fr)',
                  },
                  { header: 'Changed', cell: (r) => when(r.updatedAt), width: '11rem' },
                  { header: 'Release', cell: (r) => <code>{r.id}</code>, width: 'minmax(10rem, 1fr)' },
                ]}
              />
              {data.releases.length >= limit && limit < MAX && (
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
