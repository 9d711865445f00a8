import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { DataTable } from '../components/data-table';
import { CopyLink } from '../components/copy-link';
import { when } from '../components/format';
import { ReleaseBadge, releaseInWords, type ReleaseStatus } from '../components/outcome-badge';
import { Empty, QueryView } from '../components/states';

const STATUSES = ['', 'candidate', 'approved', 'canary', 'live', 'rolled_back'] as const;
const PAGE = 200;
const MAX = 10_000;

/** Releases of a project, most recently changed first, filtered by status; a row opens the release. */
export function ReleaseListPage() {
  const project = useParams().project ?? '';
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
                rowHref={(r) => `${base}/releases/${r.id}`}
                columns={[
                  { header: 'Name', cell: (r) => (r.names.length > 0 ? <span title={r.names.join(', ')}>{r.names.join(', ')}</span> : '—'), width: 'minmax(7rem, 1fr)' },
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
                  { header: 'Release', cell: (r) => <code>{r.id}</code>, width: 'minmax(10rem, 1fr)', link: true },
                  { header: '', cell: (r) => <CopyLink to={`${base}/releases/${r.id}`} what={`release ${r.id}`} />, width: '5.5rem' },
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
      <UnknownReleases project={project} />
    </section>
  );
}

/**
 * Release names that spans carry and no release has: the spans are stored, never dropped; a name
 * opens its traces. Naming a release (`evalops run --release NAME`) makes them its traffic.
 */
function UnknownReleases({ project }: { project: string }) {
  const query = useQuery({
    queryKey: ['unknown-releases', project],
    queryFn: async () => unwrap(await api.GET('/projects/{project}/unknown-releases', { params: { path: { project }, query: { limit: 100 } } })),
  });
  const base = `/p/${encodeURIComponent(project)}`;
  const unknown = query.data?.unknownReleases ?? [];
  return (
    <section aria-labelledby="unknown-releases-title" className="unknown-releases">
      <h2 id="unknown-releases-title">
        Unknown releases <span className="count">{query.data ? unknown.length : '…'}</span>
      </h2>
      {query.data && unknown.length === 0 && <p className="meta">Every release name on the spans belongs to a release.</p>}
      {unknown.length > 0 && (
        <>
          <p className="meta">Spans name these releases, and no release has the name. They are stored; name a release with <code>evalops run --release NAME</code> or <code>evalops releases name</code>.</p>
          <DataTable
            label="Unknown release names"
            rows={unknown}
            rowKey={(u) => u.name}
            columns={[
              { header: 'Name', cell: (u) => <Link to={`${base}/traces?release=${encodeURIComponent(u.name)}`}>{u.name}</Link>, width: 'minmax(8rem, 1.4fr)' },
              { header: 'Traces', cell: (u) => String(u.traces), numeric: true, width: '6rem' },
              { header: 'Spans', cell: (u) => String(u.spans), numeric: true, width: '6rem' },
              { header: 'Last seen', cell: (u) => when(u.lastSeen), width: '11rem' },
            ]}
          />
        </>
      )}
    </section>
  );
}
