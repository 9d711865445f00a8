/** A delta as points (−0.123 → "−12.3 pts"). */
export const points = (d: number | null | undefined): string => (d === null || d === undefined ? '—' : `${d > 0 ? '+' : d < 0 ? '−' : '±'}${Math.abs(d * 100).toFixed(1)} pts`);

/**
 * One delta and its 95% interval on a shared scale (−limit … +limit) with the zero line: whether the
 * interval crosses zero is what a reader looks for. Labelled with the numbers for screen readers.
 */
export function IntervalPlot({ delta, ci: raw, limit, label }: { delta: number | null; ci: readonly number[] | null; limit: number; label: string }) {
  const ci = raw && raw.length === 2 ? ([raw[0], raw[1]] as [number, number]) : null;
  const w = 160;
  const h = 22;
  const x = (v: number): number => 4 + ((Math.max(-limit, Math.min(limit, v)) + limit) / (2 * limit)) * (w - 8);
  const below = ci !== null && ci[1] < 0;
  const above = ci !== null && ci[0] > 0;
  const text = `${label}: delta ${points(delta)}${ci ? `, 95% interval ${points(ci[0])} to ${points(ci[1])}` : ''}`;
  return (
    <svg className={`interval ${below ? 'down' : above ? 'up' : ''}`} width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={text}>
      <title>{text}</title>
      <line x1={x(0)} x2={x(0)} y1={2} y2={h - 2} className="zero" />
      {ci && <line x1={x(ci[0])} x2={x(ci[1])} y1={h / 2} y2={h / 2} className="ci" />}
      {ci && (
        <>
          <line x1={x(ci[0])} x2={x(ci[0])} y1={h / 2 - 4} y2={h / 2 + 4} className="ci" />
          <line x1={x(ci[1])} x2={x(ci[1])} y1={h / 2 - 4} y2={h / 2 + 4} className="ci" />
        </>
      )}
      {delta !== null && <circle cx={x(delta)} cy={h / 2} r={4} className="dot" />}
    </svg>
  );
}
