import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuditEntry } from '../core/audit-chain.js';
import { EvalOpsError } from '../core/errors.js';
import { GateOutcomeSchema } from '../core/gate/gate-decision.js';
import {
  describeRelease,
  fromSnapshot,
  ReleaseEventSchema,
  ReleaseStatusSchema,
  ReleaseTransitionPayloadSchema,
  toSnapshot,
  transition,
  type CandidateHold,
  type ReleaseEvent,
  type ReleaseSnapshot,
  type ReleaseState,
  type ReleaseStatus,
  type ReleaseTransitionPayload,
} from '../core/release.js';
import { trackTraffic, type TrackTraffic } from '../core/release-traffic.js';
import { withWriteRetry, type AuditRepository, type Executor } from './audit-repository.js';
import type { Database } from './database.js';
import { newId } from './ids.js';
import type { ProjectScope } from './project-scope.js';

type StoreDialect = 'sqlite' | 'postgres';

export interface ReleaseRecord {
  readonly id: string;
  readonly projectId: string;
  readonly targetVariant: string;
  /** The human names the release is known by (`2.1.0`, a git SHA), oldest first; the first is its name. */
  readonly names: readonly string[];
  readonly status: ReleaseStatus;
  /** The canary's share of traffic; null unless status is `canary`. */
  readonly canaryPercent: number | null;
  /**
   * Share of its track's traffic the variant should get now (src/core/release-traffic.ts): the
   * canary share for a canary, what the canaries leave for the live release, 0 otherwise; the
   * releases of a project sum to 100.
   */
  readonly trafficPercent: number;
  /** For a candidate: the gate outcome holding it back (its decision's, or the latest override's). */
  readonly hold: CandidateHold;
  readonly candidateRunId: string | null;
  readonly decisionId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly state: ReleaseState;
  /** The content hash of the release's config (src/core/release-config.ts), null when it has none. */
  readonly configHash: string | null;
}

export interface AppliedTransition {
  readonly release: ReleaseRecord;
  readonly previous: ReleaseSnapshot;
  /** The `release.transition` entry written in the same transaction. */
  readonly audit: AuditEntry;
}

/** A release name that spans carry and the project does not know: neither a release's name nor its variant. */
export interface UnknownRelease {
  readonly name: string;
  readonly spans: number;
  readonly traces: number;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
}

/** The outcome of naming a release: whether the name is new for it. */
export interface NamedRelease {
  readonly release: ReleaseRecord;
  readonly name: string;
  readonly created: boolean;
}

export interface ReleaseHistoryEntry extends ReleaseTransitionPayload {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
}

/**
 * Releases: one row per project and target variant, moved only through the pure state machine of
 * core/release.ts. Every move updates the row and appends a `release.transition` audit entry in one
 * transaction, so the log and the release never disagree.
 */
export class ReleaseRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditRepository,
    private readonly dialect: StoreDialect,
    private readonly now: () => number = Date.now,
  ) {}

  /** The release of a variant, created as a candidate on first use (safe under concurrent callers). */
  async ensure(projectId: string, targetVariant: string, candidateRunId?: string, db: Executor = this.db): Promise<ReleaseRecord> {
    if (targetVariant.trim() === '') throw new EvalOpsError('input', 'a release needs a target variant');
    const at = new Date(this.now()).toISOString();
    await db
      .insertInto('releases')
      .values({
        id: newId('rel', this.now()),
        project_id: projectId,
        target_variant: targetVariant,
        status: 'candidate',
        canary_percent: null,
        candidate_run_id: candidateRunId ?? null,
        decision_id: null,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.columns(['project_id', 'target_variant']).doNothing())
      .execute();
    const found = await this.findByVariant(projectId, targetVariant, db);
    if (!found) throw new EvalOpsError('internal', `release of variant ${targetVariant} vanished after insert`);
    return found;
  }

  async get(id: string, db: Executor = this.db): Promise<ReleaseRecord> {
    const row = await this.query(db).where('r.id', '=', id).executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `release ${id} not found`);
    return (await this.withNames([row], db))[0] as ReleaseRecord;
  }

  async findByVariant(projectId: string, targetVariant: string, db: Executor = this.db): Promise<ReleaseRecord | undefined> {
    const row = await this.query(db).where('r.project_id', '=', projectId).where('r.target_variant', '=', targetVariant).executeTakeFirst();
    return row ? (await this.withNames([row], db))[0] : undefined;
  }

  /** The release a name is bound to in the project, if any. */
  async findByName(projectId: string, name: string, db: Executor = this.db): Promise<ReleaseRecord | undefined> {
    const bound = await db.selectFrom('release_names').select('release_id').where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
    return bound ? this.get(bound.release_id, db) : undefined;
  }

  /**
   * Binds a human name to the release of a variant (created as a candidate when new), audited as
   * `release.name`. A name is bound to one variant for good: a name already bound to another variant
   * is refused (EvalOpsError 'conflict', exit 2 / 409) naming both, and so is a name that is another
   * release's variant hash or shaped like a release id. Naming a release again with its own name
   * changes nothing. A release may carry several names (a version and its git SHA).
   * @example await store.releases.bindName(projectId, run.targetVariant, '2.1.0', 'ana@example.com', { candidateRunId: run.id })
   */
  async bindName(projectId: string, targetVariant: string, name: string, actor: string, options: { candidateRunId?: string } = {}): Promise<NamedRelease> {
    const problem = releaseNameProblem(name);
    if (problem) throw new EvalOpsError('input', `release name: ${problem}`, { location: 'release' });
    return withWriteRetry(() =>
      this.db.transaction().execute(async (trx) => {
        await this.lockNames(trx, projectId);
        return this.bindNameIn(trx, projectId, targetVariant, name, actor, options);
      }),
    );
  }

  /** Serialises name bindings of a project inside `trx` (the write lock on SQLite, an advisory lock on PostgreSQL). */
  async lockNames(trx: Transaction<Database>, projectId: string): Promise<void> {
    await sql`update releases set id = id where 1 = 0`.execute(trx);
    if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`release_names:${projectId}`}))`.execute(trx);
  }

  /** `bindName` inside a transaction that holds `lockNames`; the audit entry is appended last. */
  async bindNameIn(trx: Transaction<Database>, projectId: string, targetVariant: string, name: string, actor: string, options: { candidateRunId?: string } = {}): Promise<NamedRelease> {
    await this.assertNameFree(trx, projectId, targetVariant, name);
    const release = await this.ensure(projectId, targetVariant, options.candidateRunId, trx);
    const existing = await trx.selectFrom('release_names').select('release_id').where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
    if (existing) return { release, name, created: false };
    await trx.insertInto('release_names').values({ project_id: projectId, name, release_id: release.id, created_by: actor, created_at: new Date(this.now()).toISOString() }).execute();
    await this.audit.append(projectId, { actor, action: 'release.name', entityType: 'release', entityId: release.id, payload: { name, variant: targetVariant } }, trx);
    return { release: await this.get(release.id, trx), name, created: true };
  }

  /**
   * Refuses binding `name` to `targetVariant` when it belongs elsewhere, before any work is done
   * (`evalops run --release` checks before running). Exit 2 / 409 naming both variants.
   */
  async assertNameFree(db: Executor, projectId: string, targetVariant: string, name: string): Promise<void> {
    const problem = releaseNameProblem(name);
    if (problem) throw new EvalOpsError('input', `release name: ${problem}`, { location: 'release' });
    const bound = await this.findByName(projectId, name, db);
    if (bound && bound.targetVariant !== targetVariant) {
      throw new EvalOpsError(
        'conflict',
        `release name "${name}" already belongs to variant ${bound.targetVariant} (release ${bound.id}, ${describeRelease(bound.state)}); this variant is ${targetVariant}. A release name stays bound to the variant it was first given: give the changed variant a new name (e.g. a new version or git SHA)`,
        { location: 'release', details: { name, boundVariant: bound.targetVariant, boundRelease: bound.id, variant: targetVariant } },
      );
    }
    if (name !== targetVariant) {
      const other = await this.query(db).where('r.project_id', '=', projectId).where('r.target_variant', '=', name).executeTakeFirst();
      if (other) throw new EvalOpsError('conflict', `release name "${name}" is the variant of release ${other.id}; this variant is ${targetVariant}. Choose a name that is not another release's variant`, { location: 'release' });
    }
  }

  /**
   * The strings spans may carry for a release: the reference itself and, when it names a release of
   * the project exactly (id, name or variant — never a prefix, so an unknown name is never taken for
   * a variant), all its names and its variant. What online rules, monitors and trace filters match
   * the spans' `evalops.release` / `service.version` against, so a name and a variant hash find the
   * same traces, and traces that arrived before the name was given are found once it is.
   * @example await store.releases.aliases(projectId, '2.1.0') // ['2.1.0', 'v2.1.0-sha', '9f2c…']
   */
  async aliases(projectId: string, ref: string): Promise<string[]> {
    const release = (await this.findInProject(projectId, ref)) ?? (await this.findByName(projectId, ref)) ?? (await this.findByVariant(projectId, ref));
    return release ? [...new Set([ref, ...release.names, release.targetVariant])] : [ref];
  }

  /**
   * Release names that spans of the project carry and no release knows (neither a name nor a
   * variant), most recently seen first. Such spans are stored like any other; this lists them so
   * someone can name the release (`evalops releases name`) or fix the application's stamp.
   */
  async unknown(projectId: string, options: { limit?: number } = {}): Promise<UnknownRelease[]> {
    const rows = await this.db
      .selectFrom('spans as s')
      .select([
        's.release',
        sql<number>`count(*)`.as('spans'),
        sql<number>`count(distinct s.trace_id)`.as('traces'),
        sql<number>`min(s.start_time_ms)`.as('first_ms'),
        sql<number>`max(s.start_time_ms)`.as('last_ms'),
      ])
      .where('s.project_id', '=', projectId)
      .where('s.release', 'is not', null)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('release_names as n').select('n.name').where('n.project_id', '=', projectId).whereRef('n.name', '=', 's.release'))))
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('releases as r').select('r.id').where('r.project_id', '=', projectId).whereRef('r.target_variant', '=', 's.release'))))
      .groupBy('s.release')
      .orderBy(sql`max(s.start_time_ms)`, 'desc')
      .limit(options.limit ?? 100)
      .execute();
    return rows.map((r) => ({ name: r.release as string, spans: Number(r.spans), traces: Number(r.traces), firstSeenMs: Number(r.first_ms), lastSeenMs: Number(r.last_ms) }));
  }

  private async findInProject(projectId: string, id: string): Promise<ReleaseRecord | undefined> {
    const row = await this.query(this.db).where('r.id', '=', id).where('r.project_id', '=', projectId).executeTakeFirst();
    return row ? (await this.withNames([row], this.db))[0] : undefined;
  }

  /**
   * A release of the project in scope by id, by name, by variant, or by a unique variant prefix of at
   * least 4 characters (in that order). With a project, the id too is looked up in that project only (a release of another
   * project is not found, with the same message as an unknown one); without (null: an instance-wide
   * key), by id only, in any project.
   */
  async resolve(projectId: ProjectScope, ref: string): Promise<ReleaseRecord> {
    let byIdQuery = this.query(this.db).where('r.id', '=', ref);
    if (projectId !== null) byIdQuery = byIdQuery.where('r.project_id', '=', projectId);
    const byId = await byIdQuery.executeTakeFirst();
    if (byId) return (await this.withNames([byId], this.db))[0] as ReleaseRecord;
    if (projectId === null) throw new EvalOpsError('not_found', `release ${ref} not found (to look a release up by name or variant, name the project)`);
    const named = await this.findByName(projectId, ref);
    if (named) return named;
    const exact = await this.findByVariant(projectId, ref);
    if (exact) return exact;
    if (ref.length >= 4) {
      const matches = await this.query(this.db)
        .where('r.project_id', '=', projectId)
        .where(sql<string>`substr(r.target_variant, 1, ${ref.length})`, '=', ref)
        .limit(2)
        .execute();
      if (matches.length > 1) throw new EvalOpsError('usage', `variant prefix ${ref} matches more than one release`);
      if (matches[0]) return (await this.withNames([matches[0]], this.db))[0] as ReleaseRecord;
    }
    throw new EvalOpsError('not_found', `no release with id, name or variant ${ref}`);
  }

  /** Releases of a project, most recently changed first. */
  async list(projectId: string, options: { status?: ReleaseStatus; limit?: number } = {}): Promise<ReleaseRecord[]> {
    let q = this.query(this.db).where('r.project_id', '=', projectId);
    if (options.status) q = q.where('r.status', '=', options.status);
    const rows = await q.orderBy('r.updated_at', 'desc').orderBy('r.id', 'desc').limit(options.limit ?? 100).execute();
    return this.withNames(rows, this.db);
  }

  /** How the project's traffic splits between its releases now (one track per project; src/core/release-traffic.ts). */
  async traffic(projectId: string, db: Executor = this.db): Promise<TrackTraffic> {
    const rows = await db.selectFrom('releases').select(['id', 'status', 'canary_percent', 'updated_at']).where('project_id', '=', projectId).where('status', 'in', ['live', 'canary']).execute();
    return trackTraffic(rows.map((r) => ({ id: r.id, status: r.status === 'canary' ? 'canary' : 'live', canaryPercent: r.canary_percent === null ? null : Number(r.canary_percent), updatedAt: r.updated_at })));
  }

  /**
   * Moves a release by `event`, recording who did it. An illegal move is refused with
   * EvalOpsError('conflict') naming why, and changes nothing.
   * @example await store.releases.apply(release.id, { type: 'promote', percent: 10 }, 'ana@example.com')
   */
  async apply(id: string, event: ReleaseEvent, actor: string, db: Executor = this.db): Promise<AppliedTransition> {
    const parsed = ReleaseEventSchema.safeParse(event);
    if (!parsed.success) throw new EvalOpsError('input', `invalid release event: ${parsed.error.issues[0]?.message ?? parsed.error.message}`);
    if (db.isTransaction) return this.applyIn(db as Transaction<Database>, id, parsed.data, actor);
    return withWriteRetry(() => this.db.transaction().execute((trx) => this.applyIn(trx, id, parsed.data, actor)));
  }

  /** The release's transitions from the audit log, oldest first. */
  async history(id: string): Promise<ReleaseHistoryEntry[]> {
    const release = await this.get(id);
    const entries = await this.audit.list(release.projectId, { entityType: 'release', entityId: id, after: 0, limit: 100_000 });
    return entries
      .filter((e) => e.action === 'release.transition')
      .map((e) => {
        const payload = ReleaseTransitionPayloadSchema.safeParse(e.payload);
        if (!payload.success) throw new EvalOpsError('internal', `audit entry ${e.seq} is not a release transition: ${payload.error.message}`);
        return { seq: e.seq, at: e.at, actor: e.actor, ...payload.data };
      });
  }

  private async applyIn(trx: Transaction<Database>, id: string, event: ReleaseEvent, actor: string): Promise<AppliedTransition> {
    await this.lockRelease(trx, id);
    const current = await this.get(id, trx);
    const result = transition(current.state, event);
    if (!result.ok) throw new EvalOpsError('conflict', `release ${id} (${current.targetVariant}): ${result.refusal.message}`, { details: { from: toSnapshot(current.state), event } });
    const to = toSnapshot(result.state);
    await trx
      .updateTable('releases')
      .set({
        status: to.status,
        canary_percent: to.canaryPercent,
        updated_at: new Date(this.now()).toISOString(),
        ...(event.type === 'gate' && event.decisionId !== undefined ? { decision_id: event.decisionId } : {}),
        ...(event.type === 'gate' && event.runId !== undefined ? { candidate_run_id: event.runId } : {}),
      })
      .where('id', '=', id)
      .execute();
    const previous = toSnapshot(current.state);
    const payload: ReleaseTransitionPayload = { variant: current.targetVariant, from: previous, to, event };
    const audit = await this.audit.append(current.projectId, { actor, action: 'release.transition', entityType: 'release', entityId: id, payload }, trx);
    return { release: await this.get(id, trx), previous, audit };
  }

  /** Serialises moves of one release: a row lock on PostgreSQL, the write lock on SQLite. */
  private async lockRelease(trx: Transaction<Database>, id: string): Promise<void> {
    if (this.dialect === 'postgres') await sql`select id from releases where id = ${id} for update`.execute(trx);
    else await sql`update releases set id = id where 1 = 0`.execute(trx);
  }

  /** Records of rows, each with its names (one query for all) and its share of its project's traffic. */
  private async withNames(rows: readonly ReleaseRow[], db: Executor): Promise<ReleaseRecord[]> {
    const ids = rows.map((r) => r.id);
    const names = new Map<string, string[]>();
    if (ids.length > 0) {
      const bound = await db.selectFrom('release_names').select(['release_id', 'name']).where('release_id', 'in', ids).orderBy('created_at').orderBy('name').execute();
      for (const b of bound) names.set(b.release_id, [...(names.get(b.release_id) ?? []), b.name]);
    }
    const traffic = new Map<string, TrackTraffic>();
    for (const projectId of new Set(rows.map((r) => r.project_id))) traffic.set(projectId, await this.traffic(projectId, db));
    return rows.map((r) => toRecord(r, traffic.get(r.project_id) as TrackTraffic, names.get(r.id) ?? []));
  }

  private query(db: Executor) {
    return db
      .selectFrom('releases as r')
      .leftJoin('gate_decisions as g', 'g.id', 'r.decision_id')
      .selectAll('r')
      .select('g.outcome as decision_outcome')
      .select((eb) =>
        eb
          .selectFrom('overrides as o')
          .select('o.outcome')
          .whereRef('o.decision_id', '=', 'r.decision_id')
          .orderBy('o.created_at', 'desc')
          .orderBy('o.id', 'desc')
          .limit(1)
          .as('override_outcome'),
      );
  }
}

type ReleaseRow = Database['releases'] & { decision_outcome: string | null; override_outcome: string | null };

/**
 * Why a release name cannot be used, or undefined: 1–200 characters without control characters or
 * surrounding spaces, and not shaped like a release id (`rel_…`), which would be ambiguous.
 */
export function releaseNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > 200) return `must be at most 200 characters (got ${name.length})`;
  if (name.trim() !== name) return `"${name}" has leading or trailing spaces`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'must not contain control characters';
  if (/^rel_/.test(name)) return `"${name}" looks like a release id (rel_…); choose another name`;
  return undefined;
}

function toRecord(row: ReleaseRow, traffic: TrackTraffic, names: readonly string[]): ReleaseRecord {
  const status = ReleaseStatusSchema.safeParse(row.status);
  if (!status.success) throw new EvalOpsError('internal', `release ${row.id} has an unknown status "${row.status}"`);
  const canaryPercent = row.canary_percent === null ? null : Number(row.canary_percent);
  const effective = GateOutcomeSchema.safeParse(row.override_outcome ?? row.decision_outcome);
  const hold: CandidateHold = effective.success && (effective.data === 'block' || effective.data === 'require_approval') ? effective.data : null;
  const state = fromSnapshot({ status: status.data, canaryPercent }, hold);
  if (!state) throw new EvalOpsError('internal', `release ${row.id} is canary without a percent`);
  return {
    id: row.id,
    projectId: row.project_id,
    targetVariant: row.target_variant,
    names,
    status: status.data,
    canaryPercent: status.data === 'canary' ? canaryPercent : null,
    trafficPercent: traffic.shares.get(row.id) ?? 0,
    hold: status.data === 'candidate' ? hold : null,
    candidateRunId: row.candidate_run_id,
    decisionId: row.decision_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    state,
    configHash: row.config_hash ?? null,
  };
}
