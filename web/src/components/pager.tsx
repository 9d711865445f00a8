/** Previous / next over a server-side paged list, with where we are in it ("41–80 of 312"). */
export function Pager({ offset, count, total, pageSize, onOffset, what }: { offset: number; count: number; total: number; pageSize: number; onOffset: (offset: number) => void; what: string }) {
  if (total <= pageSize && offset === 0) return null;
  return (
    <nav className="pager" aria-label={`Pages of ${what}`}>
      <button type="button" className="secondary" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - pageSize))}>
        Previous
      </button>
      <span aria-live="polite">
        {count === 0 ? 0 : offset + 1}–{offset + count} of {total}
      </span>
      <button type="button" className="secondary" disabled={offset + count >= total} onClick={() => onOffset(offset + pageSize)}>
        Next
      </button>
    </nav>
  );
}
