import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
const fetchRunForPanel = async (runId: string) => unwrap(await api.GET('/runs/{runId}', { params: { path: { runId } } }));
type RunSubset = NonNullable<Awaited<ReturnType<typeof fetchRunForPanel>>['subset']>;
type Decision = Awaited<ReturnType<typeof fetchDecisionForPanel>>;
type SubsetRule = NonNullable<Decision['subset']>['rules'][number];

const fetchDecisionForPanel = async (decisionId: string) => unwrap(await api.GET('/gate-decisions/{decisionId}', { params: { path: { decisionId } } }));

/** How the subset's size was set, in words: "size 300", "10% of the dataset", "detect a 5-pt drop at 80% power". */
function howSized(s: RunSubset): string {
  if (s.spec.detect) return `sized to detect a ${(s.spec.detect.drop * 100).toFixed(1)}-pt drop at ${(s.spec.detect.power * 100).toFixed(0)}% power`;
  if (s.spec.share !== undefined) return `${(s.spec.share * 100).toFixed(1)}% of the dataset`;
  return `size ${s.spec.size ?? s.requested}`;
}

/**
 * The subset a run ran on: its name, size of the dataset, seed, how it was drawn, each rule's
 * minimum detectable effect on it (from a gate decision), and that the full suite decides on main.
 */
export function SubsetPanel({ subset, rules, decisionLink }: { subset: RunSubset; rules?: readonly SubsetRule[] | undefined; decisionLink?: string | undefined }) {
  return (
    <section className="subset-panel" aria-labelledby="subset-title">
      <h2 id="subset-title">PR subset {subset.name}</h2>
      <dl className="facts">
        <dt>Examples</dt>
        <dd>
          {subset.size} of {subset.datasetSize} ({howSized(subset)}
          {subset.size > subset.requested ? `; grown from ${subset.requested} for critical examples and slice minimums` : ''})
        </dd>
        <dt>Seed</dt>
        <dd>{subset.seed}</dd>
        <dt>Stratified</dt>
        <dd>
          every one of {subset.slices} slice(s) kept with at least {subset.minPerSlice}; {subset.critical} critical example(s) always in
        </dd>
      </dl>
      <p className="note">
        A PR gate on this subset blocks only on effects it can detect; <strong>the full suite decides on main</strong>.
      </p>
      {rules && rules.length > 0 ? (
        <table className="metrics" aria-label="Minimum detectable effect per rule on the subset">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Metric</th>
              <th scope="col" className="num">n</th>
              <th scope="col" className="num">MDE at 80% power</th>
              <th scope="col">On the PR subset</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={`${r.rule}-${r.metric}-${r.slice ?? ''}`}>
                <th scope="row">
                  <code>{r.ruleText}</code>
                </th>
                <td>{r.metric}</td>
                <td className="num">{r.n}</td>
                <td className="num">{r.mde === null ? '> 100 pts' : `${(r.mde * 100).toFixed(1)} pts`}</td>
                <td>{r.detectable ? 'detectable' : 'not detectable on the PR subset'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : rules ? (
        <p className="muted">No noRegression rule: no minimum detectable effect to show.</p>
      ) : (
        <p className="muted">The minimum detectable effect per rule is shown once the run is gated{decisionLink ? '' : ' (no gate decision on this run yet)'}.</p>
      )}
      {decisionLink && (
        <p className="meta">
          <Link to={decisionLink}>Gate decision on this run</Link>
        </p>
      )}
    </section>
  );
}

/** The subset panel of a run page: the subset, and the MDEs of the newest gate decision on the run when there is one. */
export function RunSubsetPanel({ project, runId, subset }: { project: string; runId: string; subset: RunSubset }) {
  const decisions = useQuery({
    queryKey: ['gate-decisions', project, 50],
    queryFn: async () => unwrap(await api.GET('/projects/{project}/gate-decisions', { params: { path: { project }, query: { limit: 50 } } })),
  });
  const latest = decisions.data?.decisions.find((d) => d.candidateRunId === runId);
  const decision = useQuery({ queryKey: ['gate-decision', latest?.decisionId], enabled: latest !== undefined, queryFn: () => fetchDecisionForPanel(latest?.decisionId ?? '') });
  const link = latest ? `/p/${encodeURIComponent(project)}/decisions/${encodeURIComponent(latest.decisionId)}` : undefined;
  return <SubsetPanel subset={subset} rules={decision.data?.subset?.rules} decisionLink={link} />;
}
