import { useId, type ReactNode } from 'react';

/** A table of a chart's numbers: its text alternative, folded under the chart. */
export interface ChartTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly ReactNode[])[];
}

/**
 * The frame of every chart: a titled figure whose SVG is one labelled image (the summary a screen
 * reader announces), with the numbers behind it in a table under "Show the numbers".
 */
export function ChartFigure({ title, summary, table, children, className }: { title: string; summary: string; table: ChartTable; children: (labelId: string) => ReactNode; className?: string }) {
  const id = useId();
  return (
    <figure className={`chart ${className ?? ''}`} aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <p id={`${id}-summary`} className="chart-summary">
        {summary}
      </p>
      {children(`${id}-title ${id}-summary`)}
      <details>
        <summary>Show the numbers</summary>
        <div className="table-scroll">
          <table className="metrics compact">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                {table.columns.map((c, i) => (
                  <th key={c} scope="col" className={i > 0 ? 'num' : undefined}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((cell, j) =>
                    j === 0 ? (
                      <th key={j} scope="row">
                        {cell}
                      </th>
                    ) : (
                      <td key={j} className="num">
                        {cell}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/** Okabe–Ito colours, distinguishable with the common colour-vision deficiencies; series also differ by marker. */
export const SERIES_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'] as const;

/** Round tick values covering [min, max]. */
export function ticks(min: number, max: number, count = 4): number[] {
  if (max <= min) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}
