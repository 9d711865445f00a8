import { describe, expect, it } from 'vitest';
import { allows, PERMISSION_ROLES, PermissionSchema, permits, RoleSchema, type Role } from './roles.js';

/**
 * The whole order, written out: row = the key's role, column = the role required. `ingest` is
 * comparable only with itself and `admin`; `resolve` is below every role of the chain, not ingest.
 */
const TABLE: Record<Role, Record<Role, boolean>> = {
  //          ingest resolve viewer reviewer engineer owner admin
  ingest: { ingest: true, resolve: false, viewer: false, reviewer: false, engineer: false, owner: false, admin: false },
  resolve: { ingest: false, resolve: true, viewer: false, reviewer: false, engineer: false, owner: false, admin: false },
  viewer: { ingest: false, resolve: true, viewer: true, reviewer: false, engineer: false, owner: false, admin: false },
  reviewer: { ingest: false, resolve: true, viewer: true, reviewer: true, engineer: false, owner: false, admin: false },
  engineer: { ingest: false, resolve: true, viewer: true, reviewer: true, engineer: true, owner: false, admin: false },
  owner: { ingest: false, resolve: true, viewer: true, reviewer: true, engineer: true, owner: true, admin: false },
  admin: { ingest: true, resolve: true, viewer: true, reviewer: true, engineer: true, owner: true, admin: true },
};

describe('allows', () => {
  for (const role of RoleSchema.options) {
    for (const required of RoleSchema.options) {
      const expected = TABLE[role][required];
      it(`${expected ? 'lets' : 'does not let'} ${role} do what needs ${required}`, () => {
        expect(allows(role, required)).toBe(expected);
      });
    }
  }

  it('is a partial order: reflexive, antisymmetric and transitive', () => {
    const roles = RoleSchema.options;
    for (const a of roles) {
      expect(allows(a, a)).toBe(true);
      for (const b of roles) {
        if (a !== b && allows(a, b)) expect(allows(b, a)).toBe(false);
        for (const c of roles) if (allows(a, b) && allows(b, c)) expect(allows(a, c)).toBe(true);
      }
    }
  });
});

describe('permits', () => {
  it('maps every permission to a role', () => {
    expect(Object.keys(PERMISSION_ROLES).sort()).toEqual([...PermissionSchema.options].sort());
    for (const p of PermissionSchema.options) expect(RoleSchema.safeParse(PERMISSION_ROLES[p]).success).toBe(true);
  });

  it('lets only ingest and admin keys write traces', () => {
    const writers = RoleSchema.options.filter((r) => permits(r, 'traces:write'));
    expect(writers).toEqual(['ingest', 'admin']);
  });

  it('gives a resolve key nothing but releases:resolve, and lets every key but ingest resolve', () => {
    expect(PermissionSchema.options.filter((p) => permits('resolve', p))).toEqual(['releases:resolve']);
    expect(RoleSchema.options.filter((r) => permits(r, 'releases:resolve'))).toEqual(['resolve', 'viewer', 'reviewer', 'engineer', 'owner', 'admin']);
  });

  it('gives an ingest key nothing but traces:write', () => {
    expect(PermissionSchema.options.filter((p) => permits('ingest', p))).toEqual(['traces:write']);
  });

  it('lets a viewer read but not write', () => {
    expect(permits('viewer', 'runs:read')).toBe(true);
    expect(permits('viewer', 'traces:read')).toBe(true);
    expect(permits('viewer', 'audit:read')).toBe(true);
    expect(permits('viewer', 'runs:write')).toBe(false);
    expect(permits('viewer', 'datasets:write')).toBe(false);
    expect(permits('viewer', 'reviews:write')).toBe(false);
  });

  it('needs a reviewer for labels, an engineer for runs and gates, an owner for overrides, an admin for keys', () => {
    expect([permits('reviewer', 'reviews:write'), permits('reviewer', 'runs:write')]).toEqual([true, false]);
    expect([permits('engineer', 'runs:write'), permits('engineer', 'gate:decide'), permits('engineer', 'gate:override')]).toEqual([true, true, false]);
    expect([permits('owner', 'gate:override'), permits('owner', 'keys:manage')]).toEqual([true, false]);
    expect(PermissionSchema.options.every((p) => permits('admin', p))).toBe(true);
  });

  it('refuses unknown roles and permissions at the boundary', () => {
    expect(RoleSchema.safeParse('superuser').success).toBe(false);
    expect(RoleSchema.safeParse('Admin').success).toBe(false);
    expect(PermissionSchema.safeParse('runs:delete').success).toBe(false);
  });
});
