import { Link } from 'react-router';
import { pct, when } from './format';
import { PromoteClusterButton } from './promote-cluster-button';
import { itemHref, type TriageCluster, type TriageSource } from './triage-source';

type Concentration = { count: number; share: number; overallShare: number; enrichment: number };

const times = (x: number): string => `×${x.toFixed(1)}`;

/** One line of an item's text: whitespace folded, at most 160 characters. */
function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 160 ? `${t.slice(0, 159)}…` : t || '—';
}

/**
 * One failure cluster: its name and terms, size and share, when it started (production), the
 * failing metrics and their owners, the slices and releases it concentrates in (share in the cluster
 * against the share overall), its representative items linked to where they can be seen, and the
 * promote action.
 */
export function TriageClusterCard({ project, source, cluster: c, suggestedDataset }: { project: string; source: TriageSource; cluster: TriageCluster; suggestedDataset: string }) {
  const titleId = `cluster-${c.id}-title`;
  const noise = c.id === 'noise';
  return (
    <article className="cluster-card" id={`cluster-${c.id}`} aria-labelledby={titleId}>
      <h3 id={titleId}>
        <code>{c.id}</code> {noise ? 'Unclustered items' : c.name}
      </h3>
      <dl className="facts cluster-facts">
        <div>
          <dt>Size</dt>
          <dd>
            {c.size} item{c.size === 1 ? '' : 's'}
          </dd>
        </div>
        <div>
          <dt>Share</dt>
          <dd>{pct(c.share)} of the failing items</dd>
        </div>
        {c.firstSeen !== null && (
          <div>
            <dt>Started at</dt>
            <dd>
              <time dateTime={c.firstSeen}>{when(c.firstSeen)}</time>
            </dd>
          </div>
        )}
        <div>
          <dt>Owners</dt>
          <dd>{c.owners.length ? c.owners.join(', ') : '—'}</dd>
        </div>
        <div>
          <dt>Slice when promoted</dt>
          <dd>
            <code>{c.slice}</code>
          </dd>
        </div>
      </dl>
      {c.terms.length > 0 && (
        <p className="cluster-terms">
          <span className="muted">Distinguishing terms: </span>
          {c.terms.map((t) => (
            <span key={t} className="chip">
              {t}
            </span>
          ))}
        </p>
      )}
      <h4>Failing metrics</h4>
      {c.failingMetrics.length === 0 ? (
        <p className="muted">No metric failed (target errors only).</p>
      ) : (
        <ul className="failing-metrics">
          {c.failingMetrics.map((m) => (
            <li key={m.metric}>
              <code>{m.metric}</code>: {m.count} of {c.size} ({pct(m.share)})
            </li>
          ))}
        </ul>
      )}
      <ConcentrationTable caption="Slices it concentrates in" what="Slice" rows={c.slices.map((s) => ({ ...s, key: s.slice }))} />
      <ConcentrationTable caption="Releases it concentrates in" what="Release" rows={c.releases.map((r) => ({ ...r, key: r.release }))} />
      <h4>Representative items</h4>
      <ol className="representatives">
        {c.representatives.map((r) => {
          const href = itemHref(project, source, r);
          const label = r.traceId ?? r.exampleId ?? r.key;
          return (
            <li key={r.key}>
              <div>
                {href ? (
                  <Link to={href}>
                    <code>{label}</code>
                  </Link>
                ) : (
                  <code>{label}</code>
                )}{' '}
                <span className="muted">similarity {r.similarity.toFixed(2)}</span>
              </div>
              <dl className="rep-text">
                <dt>Input</dt>
                <dd title={r.input}>{oneLine(r.input)}</dd>
                <dt>Output</dt>
                <dd title={r.output}>{oneLine(r.output)}</dd>
                <dt>Why</dt>
                <dd className="fail">
                  {r.reason
                    .split('\n')
                    .filter((line) => line.trim() !== '')
                    .map((line, i) => (
                      <span key={i} className="rep-reason" title={line}>
                        {oneLine(line)}
                      </span>
                    ))}
                </dd>
              </dl>
            </li>
          );
        })}
      </ol>
      {!noise && <PromoteClusterButton project={project} source={source} cluster={c} suggestedDataset={suggestedDataset} />}
    </article>
  );
}

function ConcentrationTable({ caption, what, rows }: { caption: string; what: string; rows: readonly (Concentration & { key: string })[] }) {
  if (rows.length === 0) return null;
  return (
    <table className="metrics concentration">
      <caption>{caption}: share of the cluster against the share of every failing item; enrichment above ×1 means the cluster concentrates there.</caption>
      <thead>
        <tr>
          <th scope="col">{what}</th>
          <th scope="col" className="num">
            Items
          </th>
          <th scope="col" className="num">
            In cluster
          </th>
          <th scope="col" className="num">
            Overall
          </th>
          <th scope="col" className="num">
            Enrichment
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} className={r.enrichment >= 1.2 ? 'enriched' : undefined}>
            <th scope="row">
              <code>{r.key}</code>
            </th>
            <td className="num">{r.count}</td>
            <td className="num">{pct(r.share)}</td>
            <td className="num">{pct(r.overallShare)}</td>
            <td className="num">{times(r.enrichment)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
