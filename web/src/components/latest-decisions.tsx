import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { when } from './format';
import { OutcomeBadge, outcomeInWords } from './outcome-badge';

/** Decisions read to find the newest per variant; older variants beyond them are on the decisions page. */
const RECENT = 50;
const SHOWN = 6;

/**
 * The release decision first: the newest gate decision of each target variant, its outcome in force in
 * plain words, linking to the decision and its evidence.
 */
export function LatestDecisions({ project }: { project: string }) {
  const query = useQuery({
    queryKey: ['gate-decisions', project, RECENT],
    queryFn: async () => unwrap(await api.GET('/projects/{project}/gate-decisions', { params: { path: { project }, query: { limit: RECENT } } })),
  });
  const base = `/p/${encodeURIComponent(project)}`;
  if (query.isPending) return <p className="state" role="status">Loading the latest gate decisions…</p>;
  if (query.error) return <p className="state error" role="alert">Could not load the gate decisions: {query.error.message}</p>;
  const newest = new Map<string, (typeof query.data.decisions)[number]>();
  for (const d of query.data.decisions) if (!newest.has(d.variant)) newest.set(d.variant, d);
  const latest = [...newest.values()].slice(0, SHOWN);
  return (
    <section className="latest-decisions" aria-labelledby="latest-decisions-title">
      <h2 id="latest-decisions-title">
        Latest gate decisions <Link to={`${base}/decisions`} className="more">all decisions</Link>
      </h2>
      {latest.length === 0 ? (
        <p className="state empty">No gate decisions yet. `evalops gate` decides whether a run may ship.</p>
      ) : (
        <ul className="decision-cards">
          {latest.map((d) => (
            <li key={d.variant} className={`decision-card ${d.effectiveOutcome}`}>
              <Link to={`${base}/decisions/${d.decisionId}`}>
                <span className="variant">
                  variant <code title={d.variant}>{d.variantName}</code>
                </span>
                <OutcomeBadge outcome={d.effectiveOutcome} rolloutPercent={d.effectiveRolloutPercent} large />
                {d.overrides > 0 && <span className="muted"> overridden (was {outcomeInWords(d.outcome, d.rolloutPercent)})</span>}
                <span className="muted when">decided {when(d.createdAt)}</span>
                <span className="clip summary">{d.summary}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
