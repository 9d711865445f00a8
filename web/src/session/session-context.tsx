import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { currentSession, type Session } from '../api/session';

const ROLES = ['viewer', 'reviewer', 'engineer', 'owner', 'admin'] as const;

/** The signed-in key; the UI offers only what its role may do (the server refuses the rest anyway). */
export interface SessionState {
  readonly session: Session;
  /** Whether the role is at least `role` in viewer < reviewer < engineer < owner < admin. */
  readonly can: (role: (typeof ROLES)[number]) => boolean;
  readonly refresh: () => Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside a signed-in page');
  return state;
}

/** Loads the session once; renders `signedOut` when there is none. */
export function SessionGate({ children, signedOut, loading }: { children: ReactNode; signedOut: ReactNode; loading: ReactNode }) {
  const client = useQueryClient();
  const query = useQuery({ queryKey: ['session'], queryFn: currentSession, staleTime: Infinity });
  if (query.isPending) return loading;
  if (!query.data) return signedOut;
  const session = query.data;
  const rank = (r: string): number => ROLES.indexOf(r as (typeof ROLES)[number]);
  const state: SessionState = {
    session,
    can: (role) => rank(session.role) >= rank(role),
    refresh: async () => {
      await client.invalidateQueries();
    },
  };
  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}
