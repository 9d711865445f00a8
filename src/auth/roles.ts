import { z } from 'zod';

/**
 * Roles and permissions of API keys (DESIGN.md §5), pure.
 *
 * The human roles form a chain, each allowed what the ones below it are:
 * `viewer < reviewer < engineer < owner < admin`. `ingest` stands apart: an ingest key may only
 * write traces, and no role of the chain below `admin` may write traces — an application's key that
 * leaks exposes no data, and a person's key cannot flood the trace store by mistake. `admin` is the
 * top of the whole order (above `ingest` too), so the admin key printed on first start can try
 * everything, sending traces included.
 *
 * `resolve` stands apart too: a resolve key may only ask which release a subject gets and its config
 * (`releases:resolve`) — the key an application ships to read its prompts and model. Every role of
 * the chain may resolve too (it reads releases anyway); an ingest key may not.
 */
export const RoleSchema = z.enum(['ingest', 'resolve', 'viewer', 'reviewer', 'engineer', 'owner', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

/** The ordered roles, lowest first. */
export const ROLE_CHAIN = ['viewer', 'reviewer', 'engineer', 'owner', 'admin'] as const satisfies readonly Role[];
type ChainRole = (typeof ROLE_CHAIN)[number];

/**
 * Whether a key of `role` may do what needs `required`.
 * @example allows('owner', 'engineer') // true
 * @example allows('engineer', 'ingest') // false: only ingest and admin keys write traces
 */
export function allows(role: Role, required: Role): boolean {
  if (role === required || role === 'admin') return true;
  if (role === 'ingest' || required === 'ingest' || role === 'resolve') return false;
  if (required === 'resolve') return true;
  return rank(role) >= rank(required);
}

function rank(role: ChainRole): number {
  return ROLE_CHAIN.indexOf(role);
}

/** What a route or a command asks a key for. */
export const PermissionSchema = z.enum([
  'traces:write',
  'traces:read',
  'datasets:read',
  'datasets:write',
  'runs:read',
  'runs:write',
  'reviews:read',
  'reviews:write',
  'reviews:manage',
  'reviews:adjudicate',
  'gate:decide',
  'gate:override',
  'releases:read',
  'releases:write',
  'releases:resolve',
  'audit:read',
  'keys:manage',
  'online:read',
  'online:manage',
  'alerts:write',
  'webhooks:manage',
]);
export type Permission = z.infer<typeof PermissionSchema>;

/**
 * The least role each permission needs; exhaustive, so a new permission without a role fails to
 * compile. Overrides need `owner` here and, besides, the owner of every failed metric or a gate admin
 * (src/gate/override-decision.ts). `keys:manage` is `admin`: an admin key of a project manages that
 * project's keys, an instance-wide admin key any key.
 */
export const PERMISSION_ROLES: Readonly<Record<Permission, Role>> = {
  'traces:write': 'ingest',
  'traces:read': 'viewer',
  'datasets:read': 'viewer',
  'datasets:write': 'engineer',
  'runs:read': 'viewer',
  'runs:write': 'engineer',
  'reviews:read': 'viewer',
  'reviews:write': 'reviewer',
  'reviews:manage': 'engineer',
  'reviews:adjudicate': 'owner',
  'gate:decide': 'engineer',
  'gate:override': 'owner',
  'releases:read': 'viewer',
  'releases:write': 'engineer',
  'releases:resolve': 'resolve',
  'audit:read': 'viewer',
  'keys:manage': 'admin',
  'online:read': 'viewer',
  'online:manage': 'engineer',
  'alerts:write': 'engineer',
  'webhooks:manage': 'owner',
};

/**
 * Whether a key of `role` has `permission`.
 * @example permits('viewer', 'runs:read') // true
 */
export function permits(role: Role, permission: Permission): boolean {
  return allows(role, PERMISSION_ROLES[permission]);
}
