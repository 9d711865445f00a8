import { ms } from './format';
import { ChartFigure, ticks } from './chart-figure';

export interface HistogramBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

/** A latency distribution: one bar per equal-width bin, with p50 and p95 marked. */
export function HistogramChart({ bins, p50, p95, count }: { bins: readonly HistogramBin[]; p50: number | null; p95: number | null; count: number }) {
  const w = 640;
  const h = 220;
  const m = { top: 14, right: 16, bottom: 34, left: 48 };
  const lo = bins[0]?.from ?? 0;
  const hi = Math.max(bins[bins.length - 1]?.to ?? 1, lo + 1);
  const top = Math.max(1, ...bins.map((b) => b.count));
  const x = (v: number): number => m.left + ((v - lo) / (hi - lo)) * (w - m.left - m.right);
  const y = (c: number): number => h - m.bottom - (c / top) * (h - m.top - m.bottom);
  const peak = bins.reduce<HistogramBin | undefined>((best, b) => (!best || b.count > best.count ? b : best), undefined);
  const summary =
    count === 0 ? 'No successful results, so no latencies.' : `${count} latencies from ${ms(lo)} to ${ms(hi)}; median ${ms(p50)}, p95 ${ms(p95)}; most between ${ms(peak?.from)} and ${ms(peak?.to)}.`;
  return (
    <ChartFigure title="Latency distribution" summary={summary} table={{ columns: ['Latency', 'Results'], rows: bins.map((b) => [`${ms(b.from)}–${ms(b.to)}`, b.count]) }}>
      {(labelledBy) => (
        <svg className="chart-svg" viewBox={`0 0 ${w} ${h}`} role="img" aria-labelledby={labelledBy}>
          {ticks(0, top, 4).map((t) => (
            <g key={t}>
              <line x1={m.left} x2={w - m.right} y1={y(t)} y2={y(t)} className="grid" />
              <text x={m.left - 6} y={y(t)} dy="0.32em" textAnchor="end" className="tick">
                {t}
              </text>
            </g>
          ))}
          {bins.map((b, i) => {
            const x0 = x(b.from);
            const x1 = b.to > b.from ? x(b.to) : x0 + 8;
            return <rect key={i} x={x0 + 0.5} y={y(b.count)} width={Math.max(1, x1 - x0 - 1)} height={y(0) - y(b.count)} className="bar" />;
          })}
          {ticks(lo, hi, 5).map((t) => (
            <text key={t} x={x(t)} y={h - m.bottom + 16} textAnchor="middle" className="tick">
              {ms(t)}
            </text>
          ))}
          <line x1={m.left} x2={w - m.right} y1={y(0)} y2={y(0)} className="axis" />
          {[
            ['p50', p50],
            ['p95', p95],
          ].map(([name, v]) =>
            typeof v === 'number' ? (
              <g key={name as string}>
                <line x1={x(v)} x2={x(v)} y1={m.top} y2={y(0)} className="reference" />
                <text x={x(v) + 4} y={m.top + 8} className="tick">
                  {name}
                </text>
              </g>
            ) : null,
          )}
        </svg>
      )}
    </ChartFigure>
  );
}
