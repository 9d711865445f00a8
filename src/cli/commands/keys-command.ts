import { displayKey } from '../../auth/api-key.js';
import { RoleSchema, type Role } from '../../auth/roles.js';
import { EvalOpsError } from '../../core/errors.js';
import { INSTANCE_AUDIT_PROJECT, type ApiKeyRecord } from '../../store/api-key-repository.js';
import type { Store } from '../../store/store.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openCliStore } from '../open-cli-store.js';
import { renderTable } from '../render-table.js';
import { resolveActor } from '../resolve-actor.js';
import { resolveProjectName } from '../resolve-project.js';

/**
 * `evalops keys create|list|revoke`: API keys of the server, managed on its database directly (as
 * whoever can open that database can anyway). A key's plaintext is printed once, at creation.
 * Creation and revocation are audited: in the key's project, or for an instance-wide admin key in
 * the reserved `_instance` project (`evalops audit list --project _instance`).
 */

interface KeysFlags {
  config?: string;
  project?: string;
  instance?: boolean;
  json?: boolean;
}

/** A key as the CLI prints it: never the hash, and the secret only in `keys create`. */
export interface KeyView {
  readonly id: string;
  /** `eo_<prefix>`: how the key is named everywhere. */
  readonly key: string;
  readonly prefix: string;
  readonly role: Role;
  /** null for an instance-wide admin key. */
  readonly project: string | null;
  readonly name: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
}

export const SHOWN_ONCE_WARNING = 'store this key now: it will not be shown again';
const SLUG = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** `evalops keys create --role ROLE [--project P | --instance] [--name N]`. */
export async function keysCreateCommand(flags: KeysFlags & { role?: string; name?: string; actor?: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const role = RoleSchema.safeParse(flags.role);
    if (!role.success) throw new EvalOpsError('usage', `--role must be one of ${RoleSchema.options.join(', ')} (got "${flags.role ?? ''}")`);
    const actor = resolveActor(flags.actor);
    const projectName = await createScope(flags, role.data);
    const store = await openCliStore();
    try {
      const projectId = projectName === null ? null : await ensureKeyProject(store, projectName);
      const created = await store.apiKeys.create({ role: role.data, projectId, ...(flags.name === undefined ? {} : { name: flags.name }), createdBy: actor });
      const view = toView(created.record);
      if (flags.json) return printJson({ ...view, plaintext: created.plaintext, auditSeq: created.audit.seq, warning: SHOWN_ONCE_WARNING });
      const scope = view.project === null ? 'instance-wide' : `for project "${view.project}"`;
      const hint = view.role === 'admin' && view.project !== null ? ' (an admin of this project only; --instance for every project)' : '';
      process.stdout.write(`created ${view.role} key ${view.key} ${scope}${view.name ? ` named "${view.name}"` : ''}${hint}\n\n  ${created.plaintext}\n\n${SHOWN_ONCE_WARNING}\n`);
    } finally {
      await store.close();
    }
  });
}

/** `evalops keys list [--project P | --instance]`: without either (and no config), every key. */
export async function keysListCommand(flags: KeysFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    if (flags.instance && flags.project !== undefined) throw new EvalOpsError('usage', '--instance and --project exclude each other');
    const projectName = flags.instance ? undefined : await optionalProjectName(flags);
    const store = await openCliStore();
    try {
      let keys: ApiKeyRecord[];
      if (flags.instance) keys = await store.apiKeys.list({ projectId: null });
      else if (projectName === undefined) keys = await store.apiKeys.list();
      else {
        const project = await store.projects.findByName(projectName);
        keys = project ? await store.apiKeys.list({ projectId: project.id }) : [];
      }
      const views = keys.map(toView);
      if (flags.json) return printJson({ project: projectName ?? null, instanceOnly: flags.instance === true, keys: views });
      if (views.length === 0) return void process.stdout.write(projectName === undefined ? 'no API keys\n' : `no API keys in project "${projectName}"\n`);
      process.stdout.write(
        `${renderTable(
          ['key', 'role', 'project', 'name', 'created', 'last used', 'revoked'],
          views.map((k) => [k.key, k.role, k.project ?? '(instance)', k.name ?? '—', when(k.createdAt), k.lastUsedAt ? when(k.lastUsedAt) : 'never', k.revokedAt ? when(k.revokedAt) : '—']),
        )}\n`,
      );
    } finally {
      await store.close();
    }
  });
}

/** `evalops keys revoke PREFIX_OR_ID`: for good; revoking a revoked key is a no-op that says so. */
export async function keysRevokeCommand(ref: string, flags: { actor?: string; json?: boolean }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const actor = resolveActor(flags.actor);
    const store = await openCliStore();
    try {
      const revoked = await store.apiKeys.revoke(ref, actor);
      const view = toView(revoked.record);
      if (flags.json) return printJson({ ...view, alreadyRevoked: revoked.alreadyRevoked, auditSeq: revoked.audit?.seq ?? null });
      const scope = view.project === null ? 'instance-wide' : `project "${view.project}"`;
      process.stdout.write(
        revoked.alreadyRevoked
          ? `key ${view.key} (${view.role}, ${scope}) was already revoked at ${view.revokedAt} by ${view.revokedBy}\n`
          : `revoked key ${view.key} (${view.role}, ${scope}), by ${actor}\n`,
      );
    } finally {
      await store.close();
    }
  });
}

/**
 * The project of a new key: --project, else the config's (-c, or evalops.yaml in the working
 * directory); null (instance-wide) with --instance, or for an admin key when no project is named.
 */
async function createScope(flags: KeysFlags, role: Role): Promise<string | null> {
  if (flags.instance) {
    if (role !== 'admin') throw new EvalOpsError('usage', `only admin keys may be instance-wide (got --role ${role})`);
    if (flags.project !== undefined) throw new EvalOpsError('usage', '--instance and --project exclude each other');
    return null;
  }
  const name = await optionalProjectName(flags);
  if (name !== undefined) return name;
  if (role === 'admin') return null;
  throw new EvalOpsError('usage', `a ${role} key needs a project: pass --project NAME or -c CONFIG (only admin keys may be instance-wide)`);
}

/** The project's id, creating the project when it does not exist yet (a key may come before any run). */
async function ensureKeyProject(store: Store, name: string): Promise<string> {
  if (name === INSTANCE_AUDIT_PROJECT) throw new EvalOpsError('usage', `"${INSTANCE_AUDIT_PROJECT}" is reserved for the instance's audit log; for an instance-wide key use --role admin --instance`);
  const found = await store.projects.findByName(name);
  if (found) return found.id;
  if (!SLUG.test(name)) throw new EvalOpsError('usage', `--project must be a slug: lower-case letters, digits, "-" and "_" (got "${name}")`);
  return (await store.projects.ensure(name)).id;
}

async function optionalProjectName(flags: KeysFlags): Promise<string | undefined> {
  if (flags.project !== undefined) {
    if (flags.project.trim() === '') throw new EvalOpsError('usage', '--project must not be empty');
    return flags.project.trim();
  }
  try {
    return await resolveProjectName(flags);
  } catch (e) {
    if (e instanceof EvalOpsError && e.code === 'usage') return undefined;
    throw e;
  }
}

function toView(k: ApiKeyRecord): KeyView {
  return {
    id: k.id,
    key: displayKey(k.prefix),
    prefix: k.prefix,
    role: k.role,
    project: k.projectName,
    name: k.name,
    createdAt: k.createdAt,
    createdBy: k.createdBy,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
    revokedBy: k.revokedBy,
  };
}

function when(iso: string): string {
  return iso.replace('T', ' ').slice(0, 19);
}
