import { points } from './interval-plot';

export interface HeatCell {
  readonly metric: string;
  readonly slice: string | null;
  readonly delta: number | null;
  readonly ci95: readonly number[] | null;
  readonly pAdjusted: number | null;
  readonly verdict: 'improved' | 'regressed' | 'unchanged' | 'inconclusive';
  readonly n: number;
}

/**
 * Blue for gains, orange for drops (a diverging scale that colour-blind readers tell apart), five
 * steps of size each way; the deepest steps carry white text. The number is always in the cell, and
 * a significant change also gets ▲/▼, so nothing rests on colour alone.
 */
const DROPS = ['#fee6ce', '#fdc38d', '#f59a4f', '#b84a0c', '#7f2704'] as const;
const GAINS = ['#deebf7', '#b3d3ea', '#6fa8d6', '#2f6fb0', '#0b3f7a'] as const;
const STEPS = [0.02, 0.05, 0.1, 0.2] as const;

export function heatColour(delta: number | null): { background: string; color: string } {
  if (delta === null || Math.abs(delta) < 0.005) return { background: '#f3f4f6', color: '#14181f' };
  const step = STEPS.filter((s) => Math.abs(delta) >= s).length;
  const palette = delta < 0 ? DROPS : GAINS;
  return { background: palette[step] as string, color: step >= 3 ? '#ffffff' : '#14181f' };
}

const VERDICT_MARK: Record<HeatCell['verdict'], string> = { regressed: '▼', improved: '▲', unchanged: '', inconclusive: '' };

/** Text of one cell for screen readers and the tooltip. */
export function cellText(c: HeatCell): string {
  return `${c.metric} in ${c.slice ?? 'all examples'}: ${points(c.delta)}${c.ci95 && c.ci95.length === 2 ? ` (95% interval ${points(c.ci95[0])} to ${points(c.ci95[1])})` : ''}, ${c.verdict}${c.pAdjusted === null ? '' : `, adjusted p ${c.pAdjusted < 0.001 ? '< 0.001' : c.pAdjusted.toFixed(3)}`}, n=${c.n}`;
}

/**
 * Slice × metric heat-map of the candidate's deltas: a real table (row and column headers, the
 * number in each cell), so it reads without the colours. A cell is a button that selects its
 * metric and slice.
 */
export function DeltaHeatmap({ metrics, cells, selected, onSelect }: { metrics: readonly string[]; cells: readonly HeatCell[]; selected?: { metric: string; slice: string | null } | null; onSelect?: (metric: string, slice: string | null) => void }) {
  const slices = [null, ...[...new Set(cells.map((c) => c.slice).filter((s): s is string => s !== null))].sort()];
  const at = new Map(cells.map((c) => [`${c.metric}\u0000${c.slice ?? ''}`, c]));
  return (
    <div className="heatmap-wrap">
      <table className="heatmap">
        <caption>
          Change in each metric (columns) within each slice (rows), candidate minus baseline, in percentage points. Orange is a drop, blue a gain; deeper is larger. ▼ / ▲ mark changes that are significant after the Holm correction.
        </caption>
        <thead>
          <tr>
            <th scope="col">Slice</th>
            {metrics.map((m) => (
              <th key={m} scope="col">
                {m}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {slices.map((slice) => (
            <tr key={slice ?? ''}>
              <th scope="row">{slice ?? 'all examples'}</th>
              {metrics.map((metric) => {
                const c = at.get(`${metric}\u0000${slice ?? ''}`);
                if (!c) return <td key={metric} className="cell none" aria-label={`${metric} in ${slice ?? 'all examples'}: not compared`}>—</td>;
                const isSelected = selected?.metric === metric && selected.slice === slice;
                const text = cellText(c);
                const content = (
                  <>
                    {VERDICT_MARK[c.verdict] && <span aria-hidden="true">{VERDICT_MARK[c.verdict]} </span>}
                    {points(c.delta)}
                  </>
                );
                return (
                  <td key={metric} className={`cell ${c.verdict}${isSelected ? ' selected' : ''}`} style={heatColour(c.delta)} data-metric={metric} data-slice={slice ?? ''}>
                    {onSelect ? (
                      <button type="button" aria-label={text} title={text} aria-pressed={isSelected} onClick={() => onSelect(metric, slice)}>
                        {content}
                      </button>
                    ) : (
                      <span title={text} aria-label={text}>
                        {content}
                      </span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="heat-legend" aria-hidden="true">
        <span>drop</span>
        {[...DROPS].reverse().map((c) => (
          <i key={c} style={{ background: c }} />
        ))}
        <i style={{ background: '#f3f4f6' }} />
        {GAINS.map((c) => (
          <i key={c} style={{ background: c }} />
        ))}
        <span>gain</span>
        <span className="muted">steps at 0.5, 2, 5, 10, 20 pts</span>
      </div>
    </div>
  );
}
