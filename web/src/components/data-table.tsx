import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => ReactNode;
  /** CSS grid track, e.g. '8rem' or 'minmax(12rem, 2fr)'. */
  readonly width?: string;
  readonly numeric?: boolean;
}

/**
 * A virtualised table: only the rows in view are in the DOM, so a page of thousands stays fast. Rows
 * are reachable by keyboard (Tab into the table, arrow keys, Home/End, Enter opens).
 */
export function DataTable<T>({ rows, columns, rowKey, onOpen, label, height = 560 }: { rows: readonly T[]; columns: readonly Column<T>[]; rowKey: (row: T) => string; onOpen?: (row: T) => void; label: string; height?: number }) {
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
    else if (e.key === 'Enter' && onOpen && rows[active]) onOpen(rows[active]);
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
      <div ref={scroller} className="body" style={{ maxHeight: height }} tabIndex={0} onKeyDown={onKeyDown} aria-activedescendant={rows[active] ? `row-${rowKey(rows[active])}` : undefined}>
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
                className={`row${item.index === active ? ' active' : ''}${onOpen ? ' clickable' : ''}`}
                style={{ gridTemplateColumns: template, position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
                onClick={() => {
                  setActive(item.index);
                  onOpen?.(row);
                }}
              >
                {columns.map((c) => (
                  <div key={c.header} role="gridcell" className={c.numeric ? 'num' : undefined}>
                    {c.cell(row)}
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
