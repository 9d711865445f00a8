import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { when } from '../components/format';
import { fetchRelease, promoteRelease, rollbackRelease, type Release } from '../components/gate-api';
import { ReleaseBadge, releaseInWords } from '../components/outcome-badge';
import { ReleaseTimeline } from '../components/release-timeline';
import { QueryView } from '../components/states';
import { useSession } from '../session/session-context';

/** One release: its state, its timeline with who moved it when, and promote / roll back for engineers and up. */
export function ReleasePage() {
  const { project = '', release = '' } = useParams();
  const { can } = useSession();
  const query = useQuery({ queryKey: ['release', release, project], queryFn: () => fetchRelease(release, project) });
  const base = `/p/${encodeURIComponent(project)}`;
  return (
    <QueryView query={query} what="the release">
      {(r) => (
        <article aria-labelledby="release-title">
          <h1 id="release-title">
            {r.names.length > 0 ? <>Release {r.names[0]} · variant </> : 'Release of variant '}
            <code title={r.variant}>{r.variantName}</code> <ReleaseBadge status={r.status} canaryPercent={r.canaryPercent} hold={r.hold} />
          </h1>
          <p className="meta">
            {r.names.length > 1 && <>also named {r.names.slice(1).join(', ')} · </>}
            <code>{r.id}</code> · {r.trafficPercent}% of traffic · started {when(r.createdAt)} · changed {when(r.updatedAt)}
            {r.candidateRunId && (
              <>
                {' · '}candidate run <Link to={`${base}/runs/${r.candidateRunId}`}>{r.candidateRunId}</Link>
              </>
            )}
            {r.decisionId && (
              <>
                {' · '}
                <Link to={`${base}/decisions/${r.decisionId}`}>latest gate decision</Link>
              </>
            )}
          </p>
          <h2>Timeline</h2>
          <ReleaseTimeline release={r} project={project} />
          {can('engineer') && <ReleaseActions release={r} project={project} />}
        </article>
      )}
    </QueryView>
  );
}

/** Promote (to a canary share or live) and roll back, offered only where the state machine allows them. */
function ReleaseActions({ release, project }: { release: Release; project: string }) {
  const client = useQueryClient();
  const id = useId();
  const [percent, setPercent] = useState(release.status === 'canary' ? String(Math.min(100, (release.canaryPercent ?? 0) * 2)) : '10');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const done = async (): Promise<void> => {
    setProblem(null);
    await client.invalidateQueries();
  };
  const promote = useMutation({ mutationFn: (p: number | undefined) => promoteRelease(release.id, project, p), onSuccess: done });
  const rollback = useMutation({ mutationFn: (why: string) => rollbackRelease(release.id, project, why), onSuccess: done });
  const canPromote = release.status === 'approved' || release.status === 'canary';
  const canRollback = release.status === 'approved' || release.status === 'canary' || release.status === 'live';
  if (!canPromote && !canRollback) {
    return (
      <p className="hint">
        {release.status === 'candidate' ? 'A candidate moves only by a gate decision or an override.' : `A ${releaseInWords(release.status).toLowerCase()} release stays so; gate a new variant.`}
      </p>
    );
  }
  const toCanary = (e: FormEvent): void => {
    e.preventDefault();
    const p = Number(percent);
    if (!Number.isInteger(p) || p < 1 || p > 100) return setProblem('Percent: a whole number from 1 to 100.');
    promote.mutate(p);
  };
  const back = (e: FormEvent): void => {
    e.preventDefault();
    if (reason.trim() === '') return setProblem('Reason: say why the release is rolled back.');
    rollback.mutate(reason.trim());
  };
  const error = problem ?? promote.error?.message ?? rollback.error?.message ?? null;
  const busy = promote.isPending || rollback.isPending;
  return (
    <section aria-labelledby={`${id}-title`} className="release-actions">
      <h2 id={`${id}-title`}>Move the release</h2>
      {canPromote && (
        <form onSubmit={toCanary} className="inline-form" aria-label="Promote">
          <label htmlFor={`${id}-percent`}>Canary share of traffic (%)</label>
          <input id={`${id}-percent`} className="percent" type="number" min={1} max={100} value={percent} onChange={(e) => setPercent(e.target.value)} />
          <button type="submit" disabled={busy}>
            Promote to canary
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => promote.mutate(undefined)}>
            Promote to live
          </button>
        </form>
      )}
      {canRollback && (
        <form onSubmit={back} className="inline-form" aria-label="Roll back">
          <label htmlFor={`${id}-reason`}>Reason to roll back</label>
          <input id={`${id}-reason`} className="wide" value={reason} onChange={(e) => setReason(e.target.value)} />
          <button type="submit" className="danger" disabled={busy}>
            Roll back
          </button>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
