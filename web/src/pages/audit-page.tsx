import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { when } from '../components/format';
import { outcomeInWords, releaseInWords, type Outcome, type ReleaseStatus } from '../components/outcome-badge';
import { Empty, QueryView } from '../components/states';

const fetchEntries = async (project: string, limit: number, after: number | null) =>
  unwrap(await api.GET('/projects/{project}/audit', { params: { path: { project }, query: { limit, ...(after === null ? {} : { after }) } } }));
type Entry = Awaited<ReturnType<typeof fetchEntries>>['entries'][number];

const ACTIONS: Record<string, string> = {
  'gate.decision': 'Gate decision',
  'gate.override': 'Override',
  'release.transition': 'Release moved',
  'policy.change': 'Policy changed',
  'key.create': 'Key created',
  'key.revoke': 'Key revoked',
  'judge.calibrate': 'Judge calibrated',
  'review.adjudicate': 'Review adjudicated',
  'gold.freeze': 'Gold set frozen',
};

const str = (x: unknown): string => (typeof x === 'string' ? x : x === null || x === undefined ? '' : JSON.stringify(x));
const snap = (x: unknown): string => {
  const s = x as { status?: ReleaseStatus; canaryPercent?: number | null } | null;
  return s?.status ? releaseInWords(s.status, s.canaryPercent) : '—';
};

/** An entry's payload in a line of words; the whole payload is one click away. */
function details(e: Entry): string {
  const p = e.payload;
  switch (e.action) {
    case 'gate.decision':
      return `${outcomeInWords(p['outcome'] as Outcome, p['rolloutPercent'] as number | null)} · variant ${str(p['variant'])}`;
    case 'gate.override':
      return `${outcomeInWords(p['from'] as Outcome)} → ${outcomeInWords(p['to'] as Outcome, p['rolloutPercent'] as number | null)} as ${str(p['role'])}: ${str(p['reason'])}`;
    case 'release.transition':
      return `variant ${str(p['variant'])}: ${snap(p['from'])} → ${snap(p['to'])}`;
    case 'policy.change': {
      const to = p['to'] as { rules?: unknown[]; hash?: string } | null;
      return `policy ${to?.hash ?? '—'}: ${to?.rules?.length ?? 0} rules`;
    }
    default:
      return `${str(p['name'])} · ${str(p['role'])} · ${str(p['key'])}`;
  }
}

function Entity({ e, base }: { e: Entry; base: string }): ReactNode {
  const id = <code>{e.entityId}</code>;
  if (e.entityType === 'gate_decision') return <Link to={`${base}/decisions/${e.entityId}`}>decision {id}</Link>;
  if (e.entityType === 'release') return <Link to={`${base}/releases/${e.entityId}`}>release {id}</Link>;
  return (
    <>
      {e.entityType.replace('_', ' ')} {id}
    </>
  );
}

/** The project's hash-chained audit log, a page at a time (by position), and whether the chain is intact. */
export function AuditPage() {
  const project = useParams().project ?? '';
  const [search, setSearch] = useSearchParams();
  const limit = Math.min(500, Math.max(1, Number(search.get('limit')) || 50));
  const afterParam = search.get('after');
  const after = afterParam !== null && /^\d+$/.test(afterParam) ? Number(afterParam) : null;
  const entries = useQuery({ queryKey: ['audit', project, limit, after], queryFn: () => fetchEntries(project, limit, after), placeholderData: keepPreviousData });
  const verify = useQuery({ queryKey: ['audit-verify', project], queryFn: async () => unwrap(await api.GET('/projects/{project}/audit/verify', { params: { path: { project } } })) });
  const go = (to: number | null): void => {
    const next = new URLSearchParams(search);
    if (to === null) next.delete('after');
    else next.set('after', String(to));
    setSearch(next);
  };
  const base = `/p/${encodeURIComponent(project)}`;

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <QueryView query={verify} what="the chain verification">
        {(v) =>
          v.ok ? (
            <p className="chain ok" role="status">
              <strong>Chain intact</strong>: {v.entries} {v.entries === 1 ? 'entry' : 'entries'} verified
              {v.head ? (
                <>
                  {' '}
                  up to #{v.head.seq} (head hash <code>{v.head.hash.slice(0, 16)}…</code>; keep a copy elsewhere to notice deleted newest entries)
                </>
              ) : null}
              .
            </p>
          ) : (
            <div className="chain broken" role="alert">
              <strong>Chain broken at #{v.firstBad?.seq}</strong> ({v.firstBad?.problem}): {v.firstBad?.message}. {v.entries} entries before it verify
              {v.head ? ` (last good #${v.head.seq})` : ''}.
            </div>
          )
        }
      </QueryView>
      <QueryView query={entries} what="audit entries">
        {(data) => {
          const first = data.entries[0];
          const last = data.entries.at(-1);
          return (
            <>
              <nav className="pager" aria-label="Audit pages">
                <button type="button" className="secondary" disabled={!first || first.seq <= 1} onClick={() => go(0)}>
                  Oldest
                </button>
                <button type="button" className="secondary" disabled={!first || first.seq <= 1} onClick={() => go(Math.max(0, (first?.seq ?? 1) - 1 - limit))}>
                  ← Older
                </button>
                <button type="button" className="secondary" disabled={after === null || data.entries.length < limit} onClick={() => go(last?.seq ?? after)}>
                  Newer →
                </button>
                <button type="button" className="secondary" disabled={after === null} onClick={() => go(null)}>
                  Newest
                </button>
                <span className="muted">{first && last ? `#${first.seq}–#${last.seq}` : ''}</span>
              </nav>
              {data.entries.length === 0 ? (
                <Empty>{after === null ? 'No audit entries yet: gate decisions, overrides, release moves and key changes are recorded here.' : `No entries after #${after}.`}</Empty>
              ) : (
                <table className="metrics audit">
                  <caption>Oldest first; each entry carries the hash of the one before it.</caption>
                  <thead>
                    <tr>
                      <th scope="col" className="num">
                        Seq
                      </th>
                      <th scope="col">Time</th>
                      <th scope="col">Actor</th>
                      <th scope="col">Action</th>
                      <th scope="col">Entity</th>
                      <th scope="col">Details</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.entries.map((e) => (
                      <tr key={e.seq}>
                        <th scope="row" className="num">
                          {e.seq}
                        </th>
                        <td>
                          <time dateTime={e.at}>{when(e.at)}</time>
                        </td>
                        <td>{e.actor}</td>
                        <td>
                          <span className="action">{ACTIONS[e.action] ?? e.action}</span> <code className="muted">{e.action}</code>
                        </td>
                        <td>
                          <Entity e={e} base={base} />
                        </td>
                        <td>
                          <details>
                            <summary>{details(e)}</summary>
                            <pre>{JSON.stringify(e.payload, null, 2)}</pre>
                            <p className="muted">
                              hash <code>{e.hash.slice(0, 16)}…</code> · previous <code>{e.prevHash.slice(0, 16)}…</code>
                            </p>
                          </details>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          );
        }}
      </QueryView>
    </section>
  );
}
