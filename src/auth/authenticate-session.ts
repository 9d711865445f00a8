import { EvalOpsError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { unauthenticated, type AuthResult } from './auth-result.js';
import { authorizeKey, type AuthenticateOptions } from './authenticate.js';

/**
 * Authenticates a web UI request by its session id (the cookie's opaque value): the session must
 * be live (known, not signed out, not expired), and the key it names is re-read and checked on
 * every request exactly as a bearer key is — so revoking the key, or a change of its role, takes
 * effect at once on every replica. 401 for a missing, unknown or expired session or a revoked key.
 *
 * @example
 * const auth = await authenticateSession(store, getCookie(c, 'evalops_session'), { permission: 'runs:read' });
 */
export async function authenticateSession(store: Pick<Store, 'apiKeys' | 'webSessions'>, sessionId: string | undefined, options: AuthenticateOptions): Promise<AuthResult> {
  if (sessionId === undefined || sessionId === '') return unauthenticated('not signed in');
  const session = await store.webSessions.find(sessionId);
  if (!session) return unauthenticated('session ended or expired: sign in again');
  let key;
  try {
    key = await store.apiKeys.get(session.keyId);
  } catch (e) {
    if (e instanceof EvalOpsError && e.code === 'not_found') return unauthenticated('session ended or expired: sign in again');
    throw e;
  }
  const auth = await authorizeKey(store, key, options);
  // The key behind the session was revoked: the session ends with it, whatever revoked it.
  if (!auth.ok && auth.status === 401) await store.webSessions.end(sessionId);
  return auth;
}
