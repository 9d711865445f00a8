import type { Decision } from './gate-api';
import { pct } from './format';

type Side = NonNullable<Decision['errors']>['candidate'];

/**
 * Errors and missing results of a gate decision, per side: errored examples, the error-rate test,
 * the pairs each metric counted as fails (imputed), and the most frequent error messages. Missing
 * results never help a candidate, so this is shown whenever anything errored.
 */
export function DecisionErrors({ doc }: { doc: Decision }) {
  const errors = doc.errors;
  if (!errors) return null;
  const overall = new Map(doc.comparisons.filter((c) => c.slice === null).map((c) => [c.metric, c]));
  const imputed = Object.entries(doc.metrics)
    .map(([name, m]) => ({ name, baseline: overall.get(name)?.imputed?.baseline ?? m.imputed?.baseline ?? 0, candidate: overall.get(name)?.imputed?.candidate ?? m.imputed?.candidate ?? m.errored ?? 0 }))
    .filter((r) => r.baseline + r.candidate > 0);
  const sides: [string, Side][] = [['Candidate', errors.candidate], ...(errors.baseline ? ([['Baseline', errors.baseline]] as [string, Side][]) : [])];
  if (sides.every(([, s]) => s.examples === 0) && imputed.length === 0) return null;
  return (
    <section aria-labelledby="errors-title" className="decision-errors">
      <h2 id="errors-title">Errors and missing results</h2>
      <p className="muted">Missing results never help a candidate: every errored or missing result counts as a fail of each metric on its side.</p>
      <table className="metrics" aria-label="Errored examples per side">
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col" className="num">Errored examples</th>
            <th scope="col" className="num">Error rate</th>
            <th scope="col" className="num">Errored results</th>
            <th scope="col" className="num">Without a result</th>
            <th scope="col">Most frequent errors</th>
          </tr>
        </thead>
        <tbody>
          {sides.map(([name, s]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td className="num">
                {s.examples} of {s.total}
              </td>
              <td className="num">{pct(s.rate)}</td>
              <td className="num">{s.results}</td>
              <td className="num">{s.missing}</td>
              <td>
                {s.top.length === 0 ? (
                  '—'
                ) : (
                  <ul className="top-errors">
                    {s.top.map((t) => (
                      <li key={t.message}>
                        <span className="num">{t.count}×</span> <code>{t.message}</code>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {errors.comparison && (
        <p>
          Error-rate rule: {errors.comparison.newErrors} example(s) newly errored, {errors.comparison.fixedErrors} no longer (one-sided McNemar p{' '}
          {errors.comparison.pValue < 0.001 ? '< 0.001' : `= ${errors.comparison.pValue.toFixed(3)}`}): {errors.comparison.rose ? <strong>the error rate rose</strong> : 'no significant rise'}.
        </p>
      )}
      {imputed.length > 0 && (
        <table className="metrics" aria-label="Pairs counted as fails">
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col" className="num">Counted as fails in the baseline</th>
              <th scope="col" className="num">Counted as fails in the candidate</th>
            </tr>
          </thead>
          <tbody>
            {imputed.map((r) => (
              <tr key={r.name}>
                <th scope="row">{r.name}</th>
                <td className="num">{errors.baseline ? r.baseline : '—'}</td>
                <td className="num">{r.candidate}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
