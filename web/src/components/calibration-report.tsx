import { pct, text, when } from './format';
import { stat, type CalibrationReport } from './review-api';

/** The example id of a result item's key (result:RUN:EXAMPLE:TRIAL), the trace id of a trace item's. */
const keyName = (key: string): string => (key.startsWith('result:') ? (key.split(':')[2] ?? key) : key.replace(/^trace:/, ''));

const ci = (c: readonly number[] | null | undefined): string => (c && c.length === 2 ? `${stat(c[0])} … ${stat(c[1])}` : '—');

/**
 * A judge's latest calibration against its gold set: kappa with its interval, agreement, true-positive
 * and true-negative rates, the confusion matrix (humans in rows, the judge in columns), agreement
 * per slice, and the items the judge got wrong — what to read when rewriting the rubric.
 */
export function CalibrationReportView({ report: r, createdAt }: { report: CalibrationReport; createdAt: string }) {
  const { labels, matrix } = r.confusion;
  return (
    <div className="calibration">
      <p className="meta">
        Calibrated {when(createdAt)} against gold set v{r.goldSet.version} ({r.goldSet.items} items; {r.n} judged, {r.errored} errored) · judge version <code>{r.judgeVersion.slice(0, 12)}</code> · thresholds kappa ≥ {r.thresholds.minKappa} on ≥ {r.thresholds.minItems} items
      </p>
      {r.why.length > 0 && (
        <ul className="why">
          {r.why.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <dl className="facts">
        <div>
          <dt>Cohen&apos;s kappa</dt>
          <dd>
            {stat(r.kappa.value)} <span className="muted">({r.kappa.value === null ? (r.kappa.reason ?? 'undefined') : `95% ${ci(r.kappa.ci95)}`})</span>
          </dd>
        </div>
        {r.weightedKappa && (
          <div>
            <dt>Weighted kappa</dt>
            <dd>
              {stat(r.weightedKappa.value)} <span className="muted">({r.weightedKappa.value === null ? (r.weightedKappa.reason ?? 'undefined') : `95% ${ci(r.weightedKappa.ci95)}`})</span>
            </dd>
          </div>
        )}
        <div>
          <dt>Percent agreement</dt>
          <dd>{pct(r.percentAgreement)}</dd>
        </div>
        <div>
          <dt>True-positive rate</dt>
          <dd>{pct(r.truePositiveRate)}</dd>
        </div>
        <div>
          <dt>True-negative rate</dt>
          <dd>{pct(r.trueNegativeRate)}</dd>
        </div>
      </dl>
      <table className="metrics compact confusion" aria-label={`${r.metric}: confusion matrix`}>
        <caption>Rows: the human label. Columns: the judge&apos;s.</caption>
        <thead>
          <tr>
            <th scope="col">Human ↓ · judge →</th>
            {labels.map((l) => (
              <th key={l} scope="col" className="num">
                {l}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {labels.map((l, i) => (
            <tr key={l}>
              <th scope="row">{l}</th>
              {labels.map((c, j) => (
                <td key={c} className={`num${i === j ? ' diagonal' : ''}`}>
                  {matrix[i]?.[j] ?? 0}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {r.slices.length > 0 && (
        <table className="metrics compact" aria-label={`${r.metric}: agreement per slice`}>
          <thead>
            <tr>
              <th scope="col">Slice</th>
              <th scope="col" className="num">
                Items
              </th>
              <th scope="col" className="num">
                Agreement
              </th>
              <th scope="col" className="num">
                Kappa
              </th>
            </tr>
          </thead>
          <tbody>
            {r.slices.map((s) => (
              <tr key={s.slice}>
                <th scope="row">{s.slice}</th>
                <td className="num">{s.n}</td>
                <td className="num">{pct(s.percentAgreement)}</td>
                <td className="num">{stat(s.kappa)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Where the judge and the humans disagree</h3>
      {r.disagreements.length === 0 ? (
        <p className="muted">None: the judge matched every human label.</p>
      ) : (
        <table className="metrics compact disagreements" aria-label={`${r.metric}: disagreements with the humans`}>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Human</th>
              <th scope="col">Judge</th>
              <th scope="col">Judge&apos;s reason</th>
              <th scope="col">Output</th>
            </tr>
          </thead>
          <tbody>
            {r.disagreements.map((d) => (
              <tr key={d.key}>
                <th scope="row">
                  <code title={d.key}>{keyName(d.key)}</code>
                </th>
                <td>{d.human}</td>
                <td>{d.judge ?? <span className="muted">no answer</span>}</td>
                <td>{d.judgeReason ?? '—'}</td>
                <td>
                  <span className="clip">{text(d.output)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
