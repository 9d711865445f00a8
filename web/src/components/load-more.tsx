/** The foot of a cursor-paged list: how many are shown, and "Load more" while the server has more. */
export function LoadMore({ shown, noun, query }: { shown: number; noun: string; query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> } }) {
  return (
    <div className="load-more">
      <span className="muted">
        {shown} {noun}
        {shown === 1 ? '' : 's'} shown{query.hasNextPage ? ', more match' : ''}
      </span>
      {query.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}
