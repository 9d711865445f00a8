import { useRef, type KeyboardEvent } from 'react';
import type { Span } from './trace-types';

/** A duration with sub-millisecond precision where it matters. */
export const dur = (x: number): string => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : x >= 10 ? `${Math.round(x)} ms` : x >= 1 ? `${x.toFixed(1)} ms` : `${x.toFixed(2)} ms`);

/** A span in tree order, with its depth and its parent (for keyboard moves). */
export interface TreeSpan {
  readonly span: Span;
  readonly depth: number;
  readonly parentId: string | undefined;
  readonly hasChildren: boolean;
}

/**
 * The spans of a trace in tree order (depth first, children by start time). Spans whose parent is
 * missing (not sent, or dropped) are roots.
 * @example spanTree(spans)[0].depth // 0
 */
export function spanTree(spans: readonly Span[]): TreeSpan[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | undefined, Span[]>();
  for (const s of spans) {
    const parent = s.parentSpanId !== undefined && ids.has(s.parentSpanId) ? s.parentSpanId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const out: TreeSpan[] = [];
  const visit = (s: Span, depth: number, parentId: string | undefined): void => {
    const kids = [...(children.get(s.spanId) ?? [])].sort((a, b) => a.startTimeMs - b.startTimeMs);
    out.push({ span: s, depth, parentId, hasChildren: kids.length > 0 });
    for (const k of kids) visit(k, depth + 1, s.spanId);
  };
  for (const root of [...(children.get(undefined) ?? [])].sort((a, b) => a.startTimeMs - b.startTimeMs)) visit(root, 0, undefined);
  return out;
}

/**
 * The span tree as a waterfall: one row per span, indented by depth, its bar placed by its start and
 * length relative to the whole trace. A tree for assistive technology and the keyboard: ↑/↓ move,
 * ← goes to the parent, → to the first child, Home/End to the ends; the focused span is selected.
 */
export function SpanWaterfall({ tree, selected, onSelect }: { tree: readonly TreeSpan[]; selected: string | undefined; onSelect: (spanId: string) => void }) {
  const list = useRef<HTMLUListElement>(null);
  const start = Math.min(...tree.map((t) => t.span.startTimeMs));
  const end = Math.max(...tree.map((t) => t.span.endTimeMs));
  const total = Math.max(end - start, 0.001);
  const index = Math.max(0, tree.findIndex((t) => t.span.spanId === selected));

  const select = (i: number): void => {
    const item = tree[Math.max(0, Math.min(tree.length - 1, i))];
    if (!item) return;
    onSelect(item.span.spanId);
    list.current?.querySelector(`[data-span="${item.span.spanId}"]`)?.scrollIntoView({ block: 'nearest' });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>): void => {
    const current = tree[index];
    const keys: Record<string, () => void> = {
      ArrowDown: () => select(index + 1),
      ArrowUp: () => select(index - 1),
      Home: () => select(0),
      End: () => select(tree.length - 1),
      ArrowLeft: () => current?.parentId && select(tree.findIndex((t) => t.span.spanId === current.parentId)),
      ArrowRight: () => current?.hasChildren && select(index + 1),
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  };

  return (
    <div className="waterfall">
      <div className="waterfall-axis" aria-hidden="true">
        <span>Span</span>
        <span className="ticks">
          {[0, 0.25, 0.5, 0.75, 1].map((f) => (
            <span key={f} style={{ left: `${f * 100}%` }}>
              {dur(f * total)}
            </span>
          ))}
        </span>
      </div>
      <ul ref={list} role="tree" aria-label="Span tree" tabIndex={0} onKeyDown={onKeyDown} aria-activedescendant={tree[index] ? `span-${tree[index].span.spanId}` : undefined}>
        {tree.map((t, i) => {
          const s = t.span;
          const left = ((s.startTimeMs - start) / total) * 100;
          // From the times, not durationMs, so bars line up with the axis to the last float bit.
          const width = Math.min(Math.max(((s.endTimeMs - s.startTimeMs) / total) * 100, 0.4), 100 - Math.min(left, 99.6));
          const isSelected = i === index;
          return (
            <li
              key={s.spanId}
              id={`span-${s.spanId}`}
              data-span={s.spanId}
              role="treeitem"
              aria-level={t.depth + 1}
              aria-selected={isSelected}
              aria-expanded={t.hasChildren ? true : undefined}
              aria-label={`${s.kind} ${s.name}, ${dur(s.durationMs)}${s.status === 'error' ? ', error' : ''}`}
              className={`span-row${isSelected ? ' selected' : ''}${s.status === 'error' ? ' error' : ''}`}
              onClick={() => select(i)}
            >
              <span className="span-name" style={{ paddingLeft: `${t.depth * 1.1}rem` }}>
                <span className={`kind kind-${s.kind.toLowerCase()}`}>{s.kind}</span> {s.name}
              </span>
              <span className="span-track">
                <span className={`span-bar kind-${s.kind.toLowerCase()}`} style={{ left: `${left}%`, width: `${width}%` }} />
                <span className="span-ms" style={left + width > 80 ? { right: `${100 - left}%`, paddingRight: '0.3rem' } : { left: `${left + width}%`, paddingLeft: '0.3rem' }}>
                  {dur(s.durationMs)}
                </span>
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
