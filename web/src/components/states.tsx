import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

/** The loading, empty and error states every page shows in the same way. */

export function Loading({ what }: { what: string }) {
  return (
    <p className="state" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state empty">{children}</p>;
}

export function ErrorState({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : String(error);
  const status = error instanceof ApiError ? error.status : undefined;
  return (
    <div className="state error" role="alert">
      <strong>{status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : 'Something went wrong'}</strong>
      <p>{message}</p>
    </div>
  );
}

/** Renders the query's state, or its data through `children`. */
export function QueryView<T>({ query, what, children }: { query: { isPending: boolean; error: unknown; data: T | undefined }; what: string; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loading what={what} />;
  if (query.error) return <ErrorState error={query.error} />;
  return <>{children(query.data as T)}</>;
}
