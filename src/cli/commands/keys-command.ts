import { displayKey, parseApiKey } from '../../auth/api-key.js';
import { RoleSchema, type Role } from '../../auth/roles.js';
import { createKey, listKeys, PROJECT_SLUG, revokeKey, SHOWN_ONCE_WARNING } from '../../api/key-operations.js';
import type { ApiCaller } from '../../api/api-caller.js';
import { EvalOpsError } from '../../core/errors.js';
import { INSTANCE_AUDIT_PROJECT } from '../../store/api-key-repository.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, type RemoteFlags } from '../open-api-caller.js';
import { renderTable } from '../render-table.js';
import { resolveProjectName } from '../resolve-project.js';

/**
 * `evalops keys create|list|revoke`: API keys of the server, managed on its database directly (as
 * whoever can open that database can anyway) or, with --server, through the API with an admin key
 * (a project's admin key manages that project's keys). A key's secret is printed once, at
 * creation. Creation and revocation are audited: in the key's project, or for an instance-wide admin
 * key in the reserved `_instance` project (`evalops audit list --project _instance`).
 */

interface KeysFlags extends RemoteFlags {
  config?: string;
  project?: string;
  instance?: boolean;
  json?: boolean;
}

/** `evalops keys create --role ROLE [--project P | --instance] [--name N]`. */
export async function keysCreateCommand(flags: KeysFlags & { role?: string; name?: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const role = RoleSchema.safeParse(flags.role);
    if (!role.success) throw new EvalOpsError('usage', `--role must be one of ${RoleSchema.options.join(', ')} (got "${flags.role ?? ''}")`);
    const named = await namedScope(flags, role.data);
    const api = await openApiCaller(flags);
    try {
      const project = named === undefined ? await defaultScope(api, role.data) : named;
      const created = await api.call(createKey, { params: {}, body: { role: role.data, project, ...(flags.name === undefined ? {} : { name: flags.name }) } });
      if (flags.json) return printJson(created);
      const scope = created.project === null ? 'instance-wide' : `for project "${created.project}"`;
      const hint = created.role === 'admin' && created.project !== null ? ' (an admin of this project only; --instance for every project)' : '';
      process.stdout.write(`created ${created.role} key ${created.display} ${scope}${created.name ? ` named "${created.name}"` : ''}${hint}\n\n  ${created.secret}\n\n${SHOWN_ONCE_WARNING}\n`);
    } finally {
      await api.close();
    }
  });
}

/** `evalops keys list [--project P | --instance]`: without either (and no config), every key the caller may see. */
export async function keysListCommand(flags: KeysFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    if (flags.instance && flags.project !== undefined) throw new EvalOpsError('usage', '--instance and --project exclude each other');
    const projectName = flags.instance ? undefined : await optionalProjectName(flags);
    const api = await openApiCaller(flags);
    try {
      const list = await api.call(listKeys, { params: {}, query: { ...(projectName === undefined ? {} : { project: projectName }), ...(flags.instance ? { instance: 'true' } : {}) } });
      if (flags.json) return printJson(list);
      if (list.keys.length === 0) return void process.stdout.write(list.project === null ? 'no API keys\n' : `no API keys in project "${list.project}"\n`);
      process.stdout.write(
        `${renderTable(
          ['key', 'role', 'project', 'name', 'created', 'last used', 'revoked'],
          list.keys.map((k) => [k.display, k.role, k.project ?? '(instance)', k.name ?? '—', when(k.createdAt), k.lastUsedAt ? when(k.lastUsedAt) : 'never', k.revokedAt ? when(k.revokedAt) : '—']),
        )}\n`,
      );
    } finally {
      await api.close();
    }
  });
}

/** `evalops keys revoke PREFIX_OR_ID`: for good; revoking a revoked key is a no-op that says so. */
export async function keysRevokeCommand(ref: string, flags: RemoteFlags & { config?: string; project?: string; json?: boolean }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    // A whole key is named by its prefix: the secret goes in no URL.
    const whole = parseApiKey(ref);
    const api = await openApiCaller(flags);
    try {
      const key = whole ? displayKey(whole.prefix) : ref;
      if (flags.project !== undefined || flags.config !== undefined) {
        // Checked before revoking: a key of another project is left alone.
        const project = await resolveProjectName(flags);
        const inProject = (await api.call(listKeys, { params: {}, query: { project } })).keys.some((k) => k.id === key || k.display === key || k.display === displayKey(key));
        if (!inProject) throw new EvalOpsError('not_found', `key ${key} is not in project "${project}"`);
      }
      const revoked = await api.call(revokeKey, { params: { key } });
      if (flags.json) return printJson(revoked);
      const scope = revoked.project === null ? 'instance-wide' : `project "${revoked.project}"`;
      process.stdout.write(
        revoked.alreadyRevoked
          ? `key ${revoked.display} (${revoked.role}, ${scope}) was already revoked at ${revoked.revokedAt} by ${revoked.revokedBy}\n`
          : `revoked key ${revoked.display} (${revoked.role}, ${scope}), by ${revoked.revokedBy}\n`,
      );
    } finally {
      await api.close();
    }
  });
}

/**
 * The project of a new key as the flags name it: --project, else the config's (-c, or evalops.yaml in
 * the working directory); null (instance-wide) with --instance; undefined when nothing names one.
 */
async function namedScope(flags: KeysFlags, role: Role): Promise<string | null | undefined> {
  if (flags.instance) {
    if (role !== 'admin') throw new EvalOpsError('usage', `only admin keys may be instance-wide (got --role ${role})`);
    if (flags.project !== undefined) throw new EvalOpsError('usage', '--instance and --project exclude each other');
    return null;
  }
  const name = await optionalProjectName(flags);
  if (name !== undefined && name !== INSTANCE_AUDIT_PROJECT && !PROJECT_SLUG.test(name)) {
    throw new EvalOpsError('usage', `--project must be a slug: lower-case letters, digits, "-" and "_" (got "${name}")`);
  }
  return name;
}

/**
 * When no project is named: on a server, the calling key's project; else an admin key is
 * instance-wide, and any other role needs a project.
 */
async function defaultScope(api: ApiCaller, role: Role): Promise<string | null> {
  const bound = await api.boundProject();
  if (bound !== undefined) return bound;
  if (role === 'admin') return null;
  throw new EvalOpsError('usage', `a ${role} key needs a project: pass --project NAME or -c CONFIG (only admin keys may be instance-wide)`);
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

function when(iso: string): string {
  return iso.replace('T', ' ').slice(0, 19);
}
