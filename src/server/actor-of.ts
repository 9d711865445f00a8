import type { Principal } from '../auth/auth-result.js';

/**
 * Who a request made with a key acts as, for the audit log and for ownership checks (an override
 * needs the owner of every failed metric): the key's name when it has one — keys are named for their
 * holder (`evalops keys create --name ana@example.com`) by the admin who creates them — else the key
 * itself.
 * @example actorOf({ keyPrefix: 'ab12cd34', keyName: 'ana@example.com', … }) // 'ana@example.com'
 * @example actorOf({ keyPrefix: 'ab12cd34', … }) // 'key eo_ab12cd34'
 */
export function actorOf(principal: Principal): string {
  return principal.keyName ?? `key eo_${principal.keyPrefix}`;
}
