import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';

export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => ReactNode;
  /** CSS grid track, e.g. '8rem' or 'minmax(12rem, 2fr)'. */
  readonly width?: string;
  readonly numeric?: boolean;
  /** With `rowHref`: this column's cell is the row's link (default: the first column). */
  readonly link?: boolean;
}

/** True when a click on a row should be left to the browser: on a link or control, or with a modifier (new tab). */
function leaveToBrowser(e: MouseEvent<HTMLElement>): boolean {
  return e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || (e.target instanceof Element && e.target.closest('a, button, input, select, textarea') !== null);
}

/**
 * A virtualised table: only the rows in view are in the DOM, so a page of thousands stays fast. Rows
 * are reachable by keyboard (Tab into the table, arrow keys, Home/End, Enter opens). With `rowHref`,
 * the first cell of every row is a real link (open in a new tab, copy the address; Tab reaches it) and a
 * click elsewhere on the row follows it.
 */
export function DataTable<T>({ rows, columns, rowKey, onOpen, rowHref, label, height = 560 }: { rows: readonly T[]; columns: readonly Column<T>[]; rowKey: (row: T) => string; onOpen?: (row: T) => void; rowHref?: (row: T) => string; label: string; height?: number }) {
  const navigate = useNavigate();
  const open = onOpen ?? (rowHref ? (row: T) => navigate(rowHref(row)) : undefined);
  const linkAt = Math.max(0, columns.findIndex((c) => c.link));
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => 36, overscan: 12 });
  const template = columns.map((c) => c.width ?? 'minmax(6rem, 1fr)').join(' ');

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const move = (to: number): void => {
      e.preventDefault();
      const next = Math.max(0, Math.min(rows.length - 1, to));
      setActive(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    };
    if (e.key === 'ArrowDown') move(active + 1);
    else if (e.key === 'ArrowUp') move(active - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(rows.length - 1);
    else if (e.key === 'PageDown') move(active + 10);
    else if (e.key === 'PageUp') move(active - 10);
    else if (e.key === 'Enter' && open && rows[active] && !(e.target instanceof Element && e.target.closest('a, button'))) open(rows[active]);
  };

  return (
    <div className="table" role="grid" aria-label={label} aria-rowcount={rows.length + 1}>
      <div className="row header" role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => (
          <div key={c.header} role="columnheader" className={c.numeric ? 'num' : undefined}>
            {c.header}
          </div>
        ))}
      </div>
      <div ref={scroller} className="body" role="rowgroup" style={{ maxHeight: height }} tabIndex={0} onKeyDown={onKeyDown}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index] as T;
            return (
              <div
                key={rowKey(row)}
                id={`row-${rowKey(row)}`}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={item.index === active}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className={`row${item.index === active ? ' active' : ''}${open ? ' clickable' : ''}`}
                style={{ gridTemplateColumns: template, position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
                onClick={(e) => {
                  setActive(item.index);
                  if (!leaveToBrowser(e)) open?.(row);
                }}
              >
                {columns.map((c, i) => (
                  <div key={c.header} role="gridcell" className={c.numeric ? 'num' : undefined}>
                    {rowHref && i === linkAt ? (
                      <Link className="row-link" to={rowHref(row)}>
                        {c.cell(row)}
                      </Link>
                    ) : (
                      c.cell(row)
                    )}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
