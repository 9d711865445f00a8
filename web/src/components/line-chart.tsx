import { ChartFigure, SERIES_COLOURS, ticks } from './chart-figure';

export interface LineSeries {
  readonly name: string;
  /** One value per x position; null is a gap. */
  readonly values: readonly (number | null)[];
}

const MARKERS = ['circle', 'square', 'triangle', 'diamond'] as const;

/**
 * Lines over a shared x axis (runs, oldest left). Each series has its own colour and marker shape,
 * so the legend reads without colour; the numbers are in the figure's table.
 */
export function LineChart({
  title,
  summary,
  xLabels,
  xTitles,
  series,
  format,
  domain,
  yTitle,
  xTitle = 'Run',
}: {
  title: string;
  summary: string;
  xLabels: readonly string[];
  /** Longer names of the x positions for the table (run ids). */
  xTitles?: readonly string[];
  series: readonly LineSeries[];
  format: (v: number) => string;
  domain?: readonly [number, number];
  yTitle: string;
  /** What the x positions are, for the table's first column (runs by default; a time for series). */
  xTitle?: string;
}) {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const [lo, hi] = domain ?? [0, Math.max(1e-9, ...all) * 1.1];
  const w = 640;
  const h = 240;
  const m = { top: 12, right: 16, bottom: 34, left: 56 };
  const n = xLabels.length;
  const x = (i: number): number => m.left + (n <= 1 ? (w - m.left - m.right) / 2 : (i / (n - 1)) * (w - m.left - m.right));
  const y = (v: number): number => h - m.bottom - ((v - lo) / (hi - lo || 1)) * (h - m.top - m.bottom);
  const yTicks = ticks(lo, hi);
  const every = Math.max(1, Math.ceil(n / 8));
  return (
    <ChartFigure
      title={title}
      summary={summary}
      table={{ columns: [xTitle, ...series.map((s) => s.name)], rows: xLabels.map((label, i) => [xTitles?.[i] ?? label, ...series.map((s) => (s.values[i] === null || s.values[i] === undefined ? '—' : format(s.values[i] as number)))]) }}
    >
      {(labelledBy) => (
        <>
          <svg className="chart-svg" viewBox={`0 0 ${w} ${h}`} role="img" aria-labelledby={labelledBy}>
            {yTicks.map((t) => (
              <g key={t}>
                <line x1={m.left} x2={w - m.right} y1={y(t)} y2={y(t)} className="grid" />
                <text x={m.left - 6} y={y(t)} dy="0.32em" textAnchor="end" className="tick">
                  {format(t)}
                </text>
              </g>
            ))}
            <text transform={`translate(12 ${(h - m.bottom + m.top) / 2}) rotate(-90)`} textAnchor="middle" className="axis-title">
              {yTitle}
            </text>
            {xLabels.map((label, i) =>
              i % every === 0 || i === n - 1 ? (
                <text key={i} x={x(i)} y={h - m.bottom + 16} textAnchor={n > 1 && i === 0 ? 'start' : n > 1 && i === n - 1 ? 'end' : 'middle'} className="tick">
                  {label}
                </text>
              ) : null,
            )}
            <line x1={m.left} x2={w - m.right} y1={h - m.bottom} y2={h - m.bottom} className="axis" />
            {series.map((s, k) => {
              const colour = SERIES_COLOURS[k % SERIES_COLOURS.length];
              const pts = s.values.map((v, i) => [i, v] as const).filter((p): p is readonly [number, number] => p[1] !== null);
              return (
                <g key={s.name} stroke={colour} fill={colour}>
                  {pts.length > 1 && <polyline fill="none" strokeWidth="2" strokeDasharray={k % 2 ? '6 3' : undefined} points={pts.map(([i, v]) => `${x(i)},${y(v)}`).join(' ')} />}
                  {pts.map(([i, v]) => (
                    <Marker key={i} shape={MARKERS[k % MARKERS.length] ?? 'circle'} cx={x(i)} cy={y(v)} />
                  ))}
                </g>
              );
            })}
          </svg>
          {series.length > 1 && (
            <ul className="legend" aria-hidden="true">
              {series.map((s, k) => (
                <li key={s.name}>
                  <svg width="22" height="12" viewBox="0 0 22 12">
                    <g stroke={SERIES_COLOURS[k % SERIES_COLOURS.length]} fill={SERIES_COLOURS[k % SERIES_COLOURS.length]}>
                      <line x1="0" x2="22" y1="6" y2="6" strokeWidth="2" strokeDasharray={k % 2 ? '6 3' : undefined} />
                      <Marker shape={MARKERS[k % MARKERS.length] ?? 'circle'} cx={11} cy={6} />
                    </g>
                  </svg>
                  {s.name}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </ChartFigure>
  );
}

function Marker({ shape, cx, cy }: { shape: (typeof MARKERS)[number]; cx: number; cy: number }) {
  const r = 3.5;
  if (shape === 'square') return <rect x={cx - r} y={cy - r} width={r * 2} height={r * 2} stroke="none" />;
  if (shape === 'triangle') return <polygon points={`${cx},${cy - r - 1} ${cx + r + 1},${cy + r} ${cx - r - 1},${cy + r}`} stroke="none" />;
  if (shape === 'diamond') return <polygon points={`${cx},${cy - r - 1} ${cx + r + 1},${cy} ${cx},${cy + r + 1} ${cx - r - 1},${cy}`} stroke="none" />;
  return <circle cx={cx} cy={cy} r={r} stroke="none" />;
}
