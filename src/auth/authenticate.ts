import type { ApiKeyRecord } from '../store/api-key-repository.js';
import type { Store } from '../store/store.js';
import { parseApiKey, verifyApiKey } from './api-key.js';
import { forbidden, unauthenticated, type AuthResult, type Principal } from './auth-result.js';
import { PERMISSION_ROLES, permits, type Permission } from './roles.js';

export interface AuthenticateOptions {
  /** The project the request acts on, by name; absent when the request names none. */
  readonly project?: string;
  /** What the request does; the key's role must allow it. */
  readonly permission: Permission;
  /** Called when recording the key's last use fails; the request is not refused for it. */
  readonly onBookkeepingError?: (error: unknown) => void;
}

/** Compared against when the prefix is unknown, so that path costs the same hash and comparison. */
const NO_HASH = '0'.repeat(64);

/**
 * Authenticates a bearer token for one request and checks its scope and role. Refusals are values:
 * 401 for a missing, malformed, unknown, wrong or revoked key; 403 for a good key used on another
 * project (the message never says whether that project exists) or whose role is too low (the message
 * names the role needed). On success the key's last use is recorded, at most once a minute.
 *
 * @example
 * const auth = await authenticate(store, bearerToken(req.header('authorization')), { project: 'shop', permission: 'runs:read' });
 * if (!auth.ok) return c.json({ error: auth.message }, auth.status);
 */
export async function authenticate(store: Pick<Store, 'apiKeys'>, token: string | undefined, options: AuthenticateOptions): Promise<AuthResult> {
  if (token === undefined || token === '') return unauthenticated('missing API key: send "Authorization: Bearer <key>"');
  const parsed = parseApiKey(token);
  if (!parsed) return unauthenticated('malformed API key: expected eo_<prefix>_<secret>');
  const stored = await store.apiKeys.findByPrefix(parsed.prefix);
  // Unknown prefix and wrong secret answer alike; the revocation is told only to whoever holds the key.
  const matches = verifyApiKey(parsed.key, stored?.hash ?? NO_HASH);
  if (!stored || !matches) return unauthenticated('invalid API key');
  return authorizeKey(store, stored.record, options);
}

/**
 * The checks after a key is identified (by its secret, or by a web session naming it): not revoked,
 * scoped to the project asked for, a role that permits the action; then its last use is recorded.
 * Shared by both ways in, so a revoked key is refused on the very next request either way.
 */
export async function authorizeKey(store: Pick<Store, 'apiKeys'>, key: ApiKeyRecord, options: AuthenticateOptions): Promise<AuthResult> {
  if (key.revokedAt !== null) return unauthenticated('key revoked');
  if (key.projectId !== null && options.project !== undefined && options.project !== key.projectName) {
    return forbidden(`this key may not access project "${options.project}"`);
  }
  if (!permits(key.role, options.permission)) {
    return forbidden(`${options.permission} needs the ${PERMISSION_ROLES[options.permission]} role; this key has the ${key.role} role`);
  }
  try {
    await store.apiKeys.touchLastUsed(key.id);
  } catch (e) {
    options.onBookkeepingError?.(e); // last use is bookkeeping: a busy database must not refuse a good key
  }
  const principal: Principal = {
    keyId: key.id,
    keyPrefix: key.prefix,
    role: key.role,
    projectId: key.projectId,
    ...(key.name === null ? {} : { keyName: key.name }),
    ...(key.projectName !== null && key.projectId !== null ? { projectName: key.projectName } : {}),
  };
  return { ok: true, principal };
}
