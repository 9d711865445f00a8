import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { fetchStaleness } from './coverage-api';
import { pct } from './format';

const DRIFT_WORDS = { rising: '↑ rising', falling: '↓ falling', steady: '→ steady', no_traffic: 'no traffic' } as const;

/**
 * The staleness of a dataset version's slices: the age of each slice's newest example and its share
 * of production week by week (spans' `evalops.slice.*` attributes), uncovered slices with rising
 * traffic first, so a slice drifting out of coverage shows.
 */
export function SliceStaleness({ project, dataset, version }: { project: string; dataset: string; version: string }) {
  const query = useQuery({ queryKey: ['dataset-staleness', project, dataset, version], queryFn: () => fetchStaleness(project, dataset, version) });
  const coverage = `/p/${encodeURIComponent(project)}/datasets/${encodeURIComponent(dataset)}/coverage?version=${encodeURIComponent(version)}`;
  return (
    <section aria-labelledby="staleness-title" className="staleness">
      <h2 id="staleness-title">
        Staleness <Link to={coverage} className="more">coverage of production</Link>
      </h2>
      {query.isPending ? (
        <p className="state" role="status">
          Loading the slices' staleness…
        </p>
      ) : query.error ? (
        <p className="state error" role="alert">
          Could not load the slices' staleness: {query.error.message}
        </p>
      ) : (
        <>
          {query.data.weeks.every((w) => w.sliced === 0) && (
            <p className="muted">No production trace with a slice attribute (evalops.slice.KEY) in the last {query.data.weeks.length} weeks: only the examples' ages are shown.</p>
          )}
          <table className="metrics" aria-label="Staleness per slice">
            <caption>
              Production share per week (to {query.data.weeks.at(-1)?.to.slice(0, 10)}); a slice counts as covered with at least {query.data.minExamples} examples.
            </caption>
            <thead>
              <tr>
                <th scope="col">Slice</th>
                <th scope="col" className="num">Examples</th>
                <th scope="col" className="num">Newest example</th>
                {query.data.weeks.map((w) => (
                  <th key={w.from} scope="col" className="num" title={`${w.from} – ${w.to}: ${w.sliced} sliced traces`}>
                    wk {w.from.slice(5, 10)}
                  </th>
                ))}
                <th scope="col">Drift</th>
              </tr>
            </thead>
            <tbody>
              {query.data.slices.map((s) => (
                <tr key={s.slice} className={!s.covered && s.drift === 'rising' ? 'failed' : undefined}>
                  <th scope="row">
                    {s.slice}
                    {!s.covered && <span className="chip fail">uncovered</span>}
                  </th>
                  <td className="num">{s.examples}</td>
                  <td className="num">{s.newestExampleAgeDays === null ? '—' : `${s.newestExampleAgeDays} d ago`}</td>
                  {s.weekly.map((x, i) => (
                    <td key={i} className="num">
                      {x === null ? '—' : pct(x)}
                    </td>
                  ))}
                  <td className={`drift ${s.drift}`}>{DRIFT_WORDS[s.drift]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
