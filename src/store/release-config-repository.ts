import { sql, type Kysely } from 'kysely';
import { EvalOpsError } from '../core/errors.js';
import { canonicalJson } from '../core/json.js';
import {
  RELEASE_CONFIG_MAX_BYTES,
  releaseConfigHash,
  ReleaseConfigSchema,
  releaseConfigVariant,
  type ReleaseConfig,
} from '../core/release-config.js';
import { withWriteRetry, type AuditRepository, type Executor } from './audit-repository.js';
import type { Database } from './database.js';
import { fromJson } from './json-column.js';
import type { ReleaseRecord, ReleaseRepository } from './release-repository.js';
import { releaseNameProblem } from './release-repository.js';

/** The outcome of setting a release's config. */
export interface SetReleaseConfig {
  readonly release: ReleaseRecord;
  readonly configHash: string;
  /** False when the release already had exactly this config (nothing changed, nothing audited). */
  readonly changed: boolean;
  /** True when the name was new: a candidate release was made for the config. */
  readonly releaseCreated: boolean;
}

/** A release with its config, as `GET …/releases/NAME/config` answers. */
export interface ReleaseWithConfig {
  readonly release: ReleaseRecord;
  readonly config: ReleaseConfig | null;
  readonly configHash: string | null;
}

/** What a resolver needs of a project, read in one go: its releases with traffic and their configs. */
export interface ResolutionSnapshot {
  /** The project's audit position when read: every release change appends an audit entry in its transaction. */
  readonly version: number;
  readonly releases: readonly ReleaseRecord[];
  readonly configs: ReadonlyMap<string, ReleaseConfig>;
}

/**
 * Release configs, stored once per project and content hash and bound to a release. A release's
 * config is set once: the same config again changes nothing; another config for a release that has
 * one is refused (409) — a changed config is a new release, so what a gate approved is what is
 * served. A name no release has yet gets a new candidate release whose variant is the config's
 * (`releaseConfigVariant`), the variant a `model` target run from that config has too.
 */
export class ReleaseConfigRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditRepository,
    private readonly releases: ReleaseRepository,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Sets the config of the release named `name` (a name, id or variant of the project), creating a
   * candidate release under that name when none has it. Audited as `release.config`.
   * @throws EvalOpsError 'input' for a malformed config (the message names the field), 'conflict'
   *   when the release already has another config.
   * @example await store.releaseConfigs.set(projectId, '2.1.0', { model: { id: 'openai:gpt-4.1-mini' } }, 'ana@example.com')
   */
  async set(projectId: string, name: string, config: unknown, actor: string): Promise<SetReleaseConfig> {
    const parsed = parseReleaseConfig(config);
    const text = canonicalJson(parsed);
    const hash = releaseConfigHash(parsed);
    return withWriteRetry(() =>
      this.db.transaction().execute(async (trx) => {
        await this.releases.lockNames(trx, projectId);
        let release = await this.findRelease(projectId, name, trx);
        let releaseCreated = false;
        if (!release) {
          // A release id names a release that exists; one this project does not have is not found, as for any other id.
          if (name.startsWith('rel_')) throw new EvalOpsError('not_found', `no release with id, name or variant ${name}`);
          const problem = releaseNameProblem(name);
          if (problem) throw new EvalOpsError('input', `release name: ${problem}`, { location: 'release' });
          release = (await this.releases.bindNameIn(trx, projectId, releaseConfigVariant(hash), name, actor)).release;
          releaseCreated = true;
        }
        if (release.configHash === hash) return { release, configHash: hash, changed: false, releaseCreated };
        if (release.configHash !== null) {
          throw new EvalOpsError(
            'conflict',
            `release ${release.names[0] ?? release.id} already has config ${release.configHash.slice(0, 12)}; a release's config is set once, so what was evaluated is what is served: give the changed config a new release name`,
            { location: 'config', details: { release: release.id, configHash: release.configHash, newConfigHash: hash } },
          );
        }
        await trx
          .insertInto('release_configs')
          .values({ project_id: projectId, hash, config: text, created_by: actor, created_at: new Date(this.now()).toISOString() })
          .onConflict((oc) => oc.columns(['project_id', 'hash']).doNothing())
          .execute();
        await trx.updateTable('releases').set({ config_hash: hash }).where('id', '=', release.id).execute();
        await this.audit.append(projectId, { actor, action: 'release.config', entityType: 'release', entityId: release.id, payload: { name, configHash: hash, variant: release.targetVariant } }, trx);
        return { release: await this.releases.get(release.id, trx), configHash: hash, changed: true, releaseCreated };
      }),
    );
  }

  /** A release of the project (by name, id, variant or variant prefix) with its config; 404 when there is no such release. */
  async get(projectId: string, ref: string): Promise<ReleaseWithConfig> {
    const release = await this.releases.resolve(projectId, ref);
    if (release.configHash === null) return { release, config: null, configHash: null };
    return { release, config: await this.byHash(projectId, release.configHash), configHash: release.configHash };
  }

  /** A stored config by its hash. */
  async byHash(projectId: string, hash: string, db: Executor = this.db): Promise<ReleaseConfig> {
    const row = await db.selectFrom('release_configs').select('config').where('project_id', '=', projectId).where('hash', '=', hash).executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `no config ${hash} in this project`);
    return fromJson(row.config, ReleaseConfigSchema, `release config ${hash}`);
  }

  /**
   * The project's resolution version: its last audit position. Every change a resolver can see (a
   * transition, a name, a config) appends an audit entry in its transaction, so an unchanged
   * version means an unchanged answer. One primary-key lookup: cheap enough to ask several times a
   * second from every server.
   */
  async version(projectId: string): Promise<number> {
    const row = await this.db.selectFrom('audit_log').select(sql<number | null>`max(seq)`.as('seq')).where('project_id', '=', projectId).executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  /** The releases with traffic (live, canary) and their configs, with the version read first (a change during the read is seen next time). */
  async resolutionSnapshot(projectId: string): Promise<ResolutionSnapshot> {
    const version = await this.version(projectId);
    const [live, canary] = await Promise.all([this.releases.list(projectId, { status: 'live', limit: 1000 }), this.releases.list(projectId, { status: 'canary', limit: 1000 })]);
    const releases = [...live, ...canary];
    const configs = new Map<string, ReleaseConfig>();
    for (const hash of new Set(releases.flatMap((r) => (r.configHash === null ? [] : [r.configHash])))) configs.set(hash, await this.byHash(projectId, hash));
    return { version, releases, configs };
  }

  private async findRelease(projectId: string, ref: string, db: Executor): Promise<ReleaseRecord | undefined> {
    const named = await this.releases.findByName(projectId, ref, db);
    if (named) return named;
    const byVariant = await this.releases.findByVariant(projectId, ref, db);
    if (byVariant) return byVariant;
    const byId = await db.selectFrom('releases').select('id').where('id', '=', ref).where('project_id', '=', projectId).executeTakeFirst();
    return byId ? this.releases.get(byId.id, db) : undefined;
  }
}

/**
 * A config checked at the boundary: the schema, and at most RELEASE_CONFIG_MAX_BYTES as canonical
 * JSON. EvalOpsError 'input' naming the first bad field (`config.model.id: …`).
 */
export function parseReleaseConfig(value: unknown, where = 'config'): ReleaseConfig {
  const parsed = ReleaseConfigSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = [where, ...(issue?.path ?? []).map(String)].join('.');
    throw new EvalOpsError('input', `${field}: ${issue?.message ?? 'invalid'}`, { details: { issues: parsed.error.issues } });
  }
  const bytes = Buffer.byteLength(canonicalJson(parsed.data));
  if (bytes > RELEASE_CONFIG_MAX_BYTES) throw new EvalOpsError('input', `${where}: ${bytes} bytes is over the ${RELEASE_CONFIG_MAX_BYTES}-byte limit of a release config`);
  return parsed.data;
}
