import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuditEntry } from '../core/audit-chain.js';
import { EvalOpsError } from '../core/errors.js';
import { GateOutcomeSchema } from '../core/gate/gate-decision.js';
import {
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
}

export interface AppliedTransition {
  readonly release: ReleaseRecord;
  readonly previous: ReleaseSnapshot;
  /** The `release.transition` entry written in the same transaction. */
  readonly audit: AuditEntry;
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
    return this.one(db, row);
  }

  async findByVariant(projectId: string, targetVariant: string, db: Executor = this.db): Promise<ReleaseRecord | undefined> {
    const row = await this.query(db).where('r.project_id', '=', projectId).where('r.target_variant', '=', targetVariant).executeTakeFirst();
    return row ? this.one(db, row) : undefined;
  }

  /**
   * A release of the project in scope by id, by variant, or by a unique variant prefix of at least 4
   * characters. With a project, the id too is looked up in that project only (a release of another
   * project is not found, with the same message as an unknown one); without (null: an instance-wide
   * key), by id only, in any project.
   */
  async resolve(projectId: ProjectScope, ref: string): Promise<ReleaseRecord> {
    let byIdQuery = this.query(this.db).where('r.id', '=', ref);
    if (projectId !== null) byIdQuery = byIdQuery.where('r.project_id', '=', projectId);
    const byId = await byIdQuery.executeTakeFirst();
    if (byId) return this.one(this.db, byId);
    if (projectId === null) throw new EvalOpsError('not_found', `release ${ref} not found (to look a variant up, name the project)`);
    const exact = await this.findByVariant(projectId, ref);
    if (exact) return exact;
    if (ref.length >= 4) {
      const matches = await this.query(this.db)
        .where('r.project_id', '=', projectId)
        .where(sql<string>`substr(r.target_variant, 1, ${ref.length})`, '=', ref)
        .limit(2)
        .execute();
      if (matches.length > 1) throw new EvalOpsError('usage', `variant prefix ${ref} matches more than one release`);
      if (matches[0]) return this.one(this.db, matches[0]);
    }
    throw new EvalOpsError('not_found', `no release with id or variant ${ref}`);
  }

  /** Releases of a project, most recently changed first. */
  async list(projectId: string, options: { status?: ReleaseStatus; limit?: number } = {}): Promise<ReleaseRecord[]> {
    let q = this.query(this.db).where('r.project_id', '=', projectId);
    if (options.status) q = q.where('r.status', '=', options.status);
    const rows = await q.orderBy('r.updated_at', 'desc').orderBy('r.id', 'desc').limit(options.limit ?? 100).execute();
    const traffic = await this.traffic(projectId);
    return rows.map((row) => toRecord(row, traffic));
  }

  /** How the project's traffic splits between its releases now (one track per project; src/core/release-traffic.ts). */
  async traffic(projectId: string, db: Executor = this.db): Promise<TrackTraffic> {
    const rows = await db.selectFrom('releases').select(['id', 'status', 'canary_percent', 'updated_at']).where('project_id', '=', projectId).where('status', 'in', ['live', 'canary']).execute();
    return trackTraffic(rows.map((r) => ({ id: r.id, status: r.status === 'canary' ? 'canary' : 'live', canaryPercent: r.canary_percent === null ? null : Number(r.canary_percent), updatedAt: r.updated_at })));
  }

  private async one(db: Executor, row: ReleaseRow): Promise<ReleaseRecord> {
    return toRecord(row, await this.traffic(row.project_id, db));
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

function toRecord(row: ReleaseRow, traffic: TrackTraffic): ReleaseRecord {
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
    status: status.data,
    canaryPercent: status.data === 'canary' ? canaryPercent : null,
    trafficPercent: traffic.shares.get(row.id) ?? 0,
    hold: status.data === 'candidate' ? hold : null,
    candidateRunId: row.candidate_run_id,
    decisionId: row.decision_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    state,
  };
}
