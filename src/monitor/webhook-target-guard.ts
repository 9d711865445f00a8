import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { blockedAddressClass, isBlockedHostName, type AddressClass } from '../core/net/private-address.js';

/**
 * The server-side request forgery guard of webhook delivery: a webhook may reach only public
 * addresses unless the operator allows private ones (`--allow-private-webhooks`). The check is made
 * on the addresses a name resolves to, and the connection is made to the very addresses checked
 * (the lookup of the socket is replaced), so a name that resolves to a public address at check time
 * and to 127.0.0.1 a moment later (DNS rebinding) cannot slip through.
 */

/** Resolves a host name to every address it has (node:dns by default; tests inject one). */
export type HostResolver = (hostname: string) => Promise<readonly { readonly address: string; readonly family: number }[]>;

export interface WebhookTargetPolicy {
  /** Allow loopback, private, link-local and metadata targets (`--allow-private-webhooks`). */
  readonly allowPrivate: boolean;
  readonly resolve?: HostResolver;
}

/** The guard on, with the system resolver: what a process uses unless the operator says otherwise. */
export const GUARDED: WebhookTargetPolicy = { allowPrivate: false };

/** Refused because the target is not public; the message names the address and the switch. */
export class WebhookTargetRefused extends Error {
  override readonly name = 'WebhookTargetRefused';
  /** `what` is the class of the address (`loopback`, …) or, for a name refused as such, `host name`. */
  constructor(readonly target: string, readonly what: AddressClass | 'host name') {
    super(`refused: ${target} is ${describe(what)} (the operator may allow it with --allow-private-webhooks)`);
  }
}

function describe(what: AddressClass | 'host name'): string {
  if (what === 'host name') return 'a loopback or metadata host name';
  if (what === 'unparsable') return 'an address that cannot be classified';
  return `${what === 'unspecified' ? 'an' : 'a'} ${what} address`;
}

const systemResolver: HostResolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Checks a URL's host by name and, when it is an IP literal, by address. Names are checked after
 * resolution by `guardedLookup`, or by `checkWebhookTarget`. Throws WebhookTargetRefused.
 */
export function assertHostAllowed(hostname: string, policy: WebhookTargetPolicy): void {
  if (policy.allowPrivate) return;
  const host = hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) {
    const cls = blockedAddressClass(host);
    if (cls) throw new WebhookTargetRefused(host, cls);
    return;
  }
  if (isBlockedHostName(host)) throw new WebhookTargetRefused(host, 'host name');
}

/**
 * Resolves a name and refuses it when ANY of its addresses is not public (a name with one private
 * address among public ones is refused rather than raced). Returns the checked addresses.
 */
export async function resolveAllowed(hostname: string, policy: WebhookTargetPolicy): Promise<readonly { address: string; family: number }[]> {
  assertHostAllowed(hostname, policy);
  const addresses = await (policy.resolve ?? systemResolver)(hostname);
  if (addresses.length === 0) throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
  if (!policy.allowPrivate) {
    for (const a of addresses) {
      const cls = blockedAddressClass(a.address);
      if (cls) throw new WebhookTargetRefused(`${hostname} (${a.address})`, cls);
    }
  }
  return addresses;
}

/**
 * A `lookup` for node:http(s) requests that answers only with checked addresses: the socket
 * connects to what was checked. (node:net does not call lookup for an IP literal: those are checked
 * by `assertHostAllowed` before the request.)
 */
export function guardedLookup(policy: WebhookTargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowed(hostname, policy).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (wanted.length === 0) return callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '', 0);
        if (options.all) return (callback as unknown as (e: null, all: { address: string; family: number }[]) => void)(null, wanted.map((a) => ({ address: a.address, family: a.family })));
        return callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (e: NodeJS.ErrnoException) => callback(e, '', 0),
    );
  };
}

/**
 * The creation-time check of a webhook URL: refused when its host is, or resolves to, a non-public
 * address. A name that does not resolve now (or not within 3 s) is accepted: every delivery checks again.
 * @example await checkWebhookTarget('http://169.254.169.254/latest', GUARDED) // throws WebhookTargetRefused
 */
export async function checkWebhookTarget(url: string, policy: WebhookTargetPolicy): Promise<void> {
  if (policy.allowPrivate) return;
  const { hostname } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 || isBlockedHostName(host)) return assertHostAllowed(host, policy);
  // Bounded: a slow resolver must not hold the API request; the deliveries check again anyway.
  const check = resolveAllowed(host, policy).then(
    () => undefined,
    (e: unknown) => (e instanceof WebhookTargetRefused ? e : undefined),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), CREATION_LOOKUP_TIMEOUT_MS);
  });
  const refused = await Promise.race([check, timeout]);
  clearTimeout(timer);
  if (refused) throw refused;
}

/** How long the creation-time check waits for DNS before accepting (deliveries check regardless). */
const CREATION_LOOKUP_TIMEOUT_MS = 3_000;
