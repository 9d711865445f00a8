import { pct } from './format';
import { stat, type Agreement } from './review-api';

type Stat = Agreement['percentAgreement'];

/** A statistic's 95% interval, or the reason it is undefined for these labels. */
function Interval({ s, asPercent }: { s: Stat; asPercent?: boolean }) {
  const f = asPercent ? pct : stat;
  if (s.value === null) return <span className="muted">undefined: {s.reason ?? 'not enough labels'}</span>;
  if (s.ci95) return <>{`${f(s.ci95[0])} … ${f(s.ci95[1])}`}</>;
  return <span className="muted">{s.reason ?? '—'}</span>;
}

/**
 * How far a queue's reviewers agree: each statistic with its 95% interval (or why it is undefined),
 * and agreement per label.
 */
export function AgreementPanel({ agreement: a }: { agreement: Agreement }) {
  const rows: readonly [string, Stat, string, boolean][] = [
    ['Percent agreement', a.percentAgreement, 'share of items on which the reviewers gave the same label', true],
    ["Cohen's kappa", a.cohenKappa, 'agreement beyond chance; exactly two reviewers', false],
    ["Weighted Cohen's kappa", a.weightedCohenKappa, 'quadratic weights: near misses on an ordered rubric count less', false],
    ["Fleiss' kappa", a.fleissKappa, 'agreement beyond chance for any number of reviewers', false],
    [`Krippendorff's alpha (${a.krippendorffAlpha.metric})`, a.krippendorffAlpha, 'allows items with missing labels', false],
  ];
  return (
    <section className="agreement" aria-labelledby="agreement-title">
      <h2 id="agreement-title">Agreement</h2>
      <p className="meta">
        {a.nItems} items, {a.nRatings} labels by {a.raters.length} {a.raters.length === 1 ? 'reviewer' : 'reviewers'} ({a.raters.join(', ') || 'none yet'}); {a.nPairableItems} items with two or more labels.
      </p>
      <div className="agreement-tables">
        <table className="metrics compact" aria-label="Agreement statistics">
          <thead>
            <tr>
              <th scope="col">Statistic</th>
              <th scope="col" className="num">
                Value
              </th>
              <th scope="col">95% interval</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([name, s, hint, asPercent]) => (
              <tr key={name}>
                <th scope="row" title={hint}>
                  {name}
                </th>
                <td className="num">{asPercent ? pct(s.value) : stat(s.value)}</td>
                <td>
                  <Interval s={s} asPercent={asPercent} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <PairwiseTable agreement={a} />
        <table className="metrics compact" aria-label="Agreement per label">
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col" className="num">
                Labels given
              </th>
              <th scope="col" className="num" title="how often one reviewer's use of the label is matched by the other's">
                Specific agreement
              </th>
              <th scope="col" className="num" title="the label against all others; 95% bootstrap interval over items in brackets">
                Kappa
              </th>
            </tr>
          </thead>
          <tbody>
            {a.perLabel.map((l) => (
              <tr key={l.label}>
                <th scope="row">{l.label}</th>
                <td className="num">{l.nRatings}</td>
                <td className="num">
                  {pct(l.specificAgreement)}
                  {l.specificAgreementCi95 && <span className="muted"> ({`${pct(l.specificAgreementCi95[0])} … ${pct(l.specificAgreementCi95[1])}`})</span>}
                </td>
                <td className="num">
                  {stat(l.kappa)}
                  {l.kappaCi95 && <span className="muted"> ({`${stat(l.kappaCi95[0])} … ${stat(l.kappaCi95[1])}`})</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** A kappa with its 95% interval, or why it is undefined. */
function KappaCell({ s }: { s: Stat }) {
  if (s.value === null) return <span className="muted" title={s.reason ?? undefined}>—</span>;
  return (
    <>
      {stat(s.value)}
      {s.ci95 && <span className="muted"> ({`${stat(s.ci95[0])} … ${stat(s.ci95[1])}`})</span>}
    </>
  );
}

/** Cohen's kappa of every reviewer pair: unweighted, linear and quadratic weights, each with its 95% interval. */
function PairwiseTable({ agreement: a }: { agreement: Agreement }) {
  if (a.pairwise.length === 0) return null;
  return (
    <table className="metrics compact" aria-label="Agreement per reviewer pair">
      <thead>
        <tr>
          <th scope="col">Reviewer pair</th>
          <th scope="col" className="num">
            Items
          </th>
          <th scope="col" className="num" title="Cohen (1960)">
            Kappa
          </th>
          <th scope="col" className="num" title="linear weights: a near miss counts part agreement">
            Linear
          </th>
          <th scope="col" className="num" title="quadratic weights">
            Quadratic
          </th>
        </tr>
      </thead>
      <tbody>
        {a.pairwise.map((p) => (
          <tr key={p.raters.join(' ')}>
            <th scope="row">
              {p.raters[0]} × {p.raters[1]}
            </th>
            <td className="num">{p.n}</td>
            <td className="num">
              <KappaCell s={p.unweighted} />
            </td>
            <td className="num">
              <KappaCell s={p.linear} />
            </td>
            <td className="num">
              <KappaCell s={p.quadratic} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
