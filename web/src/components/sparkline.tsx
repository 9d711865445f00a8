/**
 * A trend as a tiny line (oldest left), with its values for screen readers: pass rates by default
 * (0–1, in percent), or any values scaled to `max` and written with `format`.
 */
export function Sparkline({ values, label, max = 1, format = (v: number) => `${Math.round(v * 100)}%` }: { values: readonly (number | null)[]; label: string; max?: number; format?: (v: number) => string }) {
  const points = values.map((v, i) => [i, v] as const).filter((p): p is readonly [number, number] => p[1] !== null);
  const w = 80;
  const h = 20;
  const x = (i: number): number => (values.length <= 1 ? w / 2 : (i / (values.length - 1)) * (w - 4) + 2);
  const y = (v: number): number => h - 2 - (max > 0 ? v / max : 0) * (h - 4);
  const text = values.map((v) => (v === null ? '—' : format(v))).join(', ');
  return (
    <svg className="spark" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${label}: ${text}`}>
      <title>{text}</title>
      {points.length > 1 && <polyline fill="none" stroke="currentColor" strokeWidth="1.5" points={points.map(([i, v]) => `${x(i)},${y(v)}`).join(' ')} />}
      {points.map(([i, v]) => (
        <circle key={i} cx={x(i)} cy={y(v)} r="1.8" fill="currentColor" />
      ))}
    </svg>
  );
}
