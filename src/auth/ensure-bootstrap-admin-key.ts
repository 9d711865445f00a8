import type { CreatedApiKey } from '../store/api-key-repository.js';
import type { Store } from '../store/store.js';

/** Who the audit log names for the key created on first start. */
export const BOOTSTRAP_ACTOR = 'evalops:bootstrap';

/**
 * On a database without any API key (revoked ones count as keys), creates an instance-wide admin key
 * and returns it; the server prints its plaintext once. Returns undefined when any key exists, so
 * revoking every key never mints a new admin key on restart (recover with `evalops keys create --role
 * admin` on the server's database). Safe when several replicas start at once: exactly one creates it.
 *
 * @example
 * const created = await ensureBootstrapAdminKey(store);
 * if (created) log(`admin key (shown once): ${created.plaintext}`);
 */
export async function ensureBootstrapAdminKey(store: Pick<Store, 'apiKeys'>): Promise<CreatedApiKey | undefined> {
  if ((await store.apiKeys.count()) > 0) return undefined; // the common case, without taking a lock
  return store.apiKeys.createFirst({ role: 'admin', projectId: null, name: 'bootstrap admin', createdBy: BOOTSTRAP_ACTOR });
}
