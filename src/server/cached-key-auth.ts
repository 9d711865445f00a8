import { authenticate } from '../auth/authenticate.js';
import { forbidden, type AuthResult, type Principal } from '../auth/auth-result.js';
import { PERMISSION_ROLES, permits, type Permission } from '../auth/roles.js';
import type { Store } from '../store/store.js';

/**
 * Key checks for the hot resolve path: a key verified against the store is trusted from memory for
 * `maxAgeMs` (default 1 s), then verified again — so a revoked key is refused within that time on
 * every server, and a resolve costs no database round trip. Only good keys are remembered (at most
 * `maxEntries`, the oldest dropped first); an unknown or wrong key is
 * checked against the store every time, as on every other route.
 */
export class CachedKeyAuth {
  private readonly entries = new Map<string, { principal: Principal; checkedAt: number }>();

  constructor(
    private readonly store: Pick<Store, 'apiKeys'>,
    private readonly options: { readonly maxAgeMs?: number; readonly maxEntries?: number; readonly now?: () => number; readonly onBookkeepingError?: (e: unknown) => void } = {},
  ) {}

  /** The answer from memory when the key was verified within `maxAgeMs`; undefined when the store must be asked. */
  peek(token: string | undefined, project: string, permission: Permission): AuthResult | undefined {
    if (token === undefined || token === '') return undefined;
    const cached = this.entries.get(keyId(token));
    if (cached && (this.options.now ?? Date.now)() - cached.checkedAt < (this.options.maxAgeMs ?? 1000)) return authorize(cached.principal, project, permission);
    return undefined;
  }

  /** The same refusals as `authenticate` (401/403 with its messages), for `permission` on `project`. */
  async authenticate(token: string | undefined, project: string, permission: Permission): Promise<AuthResult> {
    const known = this.peek(token, project, permission);
    if (known) return known;
    const now = (this.options.now ?? Date.now)();
    const id = token === undefined || token === '' ? undefined : keyId(token);
    const result = await authenticate(this.store, token, { project, permission, ...(this.options.onBookkeepingError ? { onBookkeepingError: this.options.onBookkeepingError } : {}) });
    if (id === undefined) return result;
    if (!result.ok) {
      if (result.status === 401) this.entries.delete(id);
      return result;
    }
    this.entries.delete(id);
    if (this.entries.size >= (this.options.maxEntries ?? 10_000)) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(id, { principal: result.principal, checkedAt: now });
    return result;
  }
}

/**
 * What a verified key is remembered by. The token itself: hashing it on every request would cost
 * more than the rest of a resolve, and the process holds the token in each request's headers anyway.
 */
function keyId(token: string): string {
  return token;
}

function authorize(principal: Principal, project: string, permission: Permission): AuthResult {
  if (principal.projectId !== null && project !== principal.projectName) return forbidden(`this key may not access project "${project}"`);
  if (!permits(principal.role, permission)) return forbidden(`${permission} needs the ${PERMISSION_ROLES[permission]} role; this key has the ${principal.role} role`);
  return { ok: true, principal };
}
