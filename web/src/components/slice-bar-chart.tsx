import { pct } from './format';
import { ChartFigure } from './chart-figure';

export interface SliceBar {
  readonly slice: string;
  readonly passRate: number | null;
  readonly ci95: readonly number[] | null;
  readonly n: number;
}

/** Pass rate of one metric in each slice: a horizontal bar per slice with its 95% interval and value. */
export function SliceBarChart({ metric, bars, overall }: { metric: string; bars: readonly SliceBar[]; overall: number | null }) {
  const w = 640;
  const rowH = 22;
  const m = { top: 8, right: 60, bottom: 26, left: 150 };
  const h = m.top + m.bottom + rowH * bars.length;
  const x = (v: number): number => m.left + v * (w - m.left - m.right);
  const lowest = [...bars].filter((b) => b.passRate !== null).sort((a, b) => (a.passRate as number) - (b.passRate as number))[0];
  const summary = bars.length === 0 ? `No slices scored ${metric}.` : `${metric} pass rate in ${bars.length} slices${overall === null ? '' : `, ${pct(overall)} overall`}; lowest ${lowest ? `${lowest.slice} at ${pct(lowest.passRate)}` : '—'}.`;
  return (
    <ChartFigure title={`Pass rate by slice · ${metric}`} summary={summary} table={{ columns: ['Slice', 'n', 'Pass rate', '95% interval'], rows: bars.map((b) => [b.slice, b.n, pct(b.passRate), b.ci95 && b.ci95.length === 2 ? `${pct(b.ci95[0])}–${pct(b.ci95[1])}` : '—']) }}>
      {(labelledBy) => (
        <svg className="chart-svg" viewBox={`0 0 ${w} ${h}`} role="img" aria-labelledby={labelledBy}>
          {[0, 0.25, 0.5, 0.75, 1].map((t) => (
            <g key={t}>
              <line x1={x(t)} x2={x(t)} y1={m.top} y2={h - m.bottom} className="grid" />
              <text x={x(t)} y={h - m.bottom + 16} textAnchor="middle" className="tick">
                {Math.round(t * 100)}%
              </text>
            </g>
          ))}
          {overall !== null && <line x1={x(overall)} x2={x(overall)} y1={m.top} y2={h - m.bottom} className="reference" />}
          {bars.map((b, i) => {
            const cy = m.top + i * rowH + rowH / 2;
            return (
              <g key={b.slice}>
                <text x={m.left - 8} y={cy} dy="0.32em" textAnchor="end" className="tick label">
                  {b.slice}
                </text>
                {b.passRate !== null && <rect x={x(0)} y={cy - 7} width={x(b.passRate) - x(0)} height={14} className="bar" />}
                {b.ci95 && b.ci95.length === 2 && <line x1={x(b.ci95[0] as number)} x2={x(b.ci95[1] as number)} y1={cy} y2={cy} className="whisker" />}
                <text x={w - m.right + 6} y={cy} dy="0.32em" className="tick">
                  {pct(b.passRate)}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </ChartFigure>
  );
}
