import { sql, type Kysely } from 'kysely';
import { EvalOpsError } from '../core/errors.js';
import { OnlineRuleSpecSchema, type OnlineRuleSpec } from '../core/online/online-rule.js';
import type { Executor } from './audit-repository.js';
import type { Database } from './database.js';
import { newId } from './ids.js';
import { fromJson, toJson } from './json-column.js';

export interface OnlineRuleRecord {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly spec: OnlineRuleSpec;
  readonly enabled: boolean;
  /** Sweep position: root spans received after (cursorAt, cursorTrace) are still to be considered. */
  readonly cursorAt: string;
  readonly cursorTrace: string;
  /** The UTC day whose cost budget is spent, or null. */
  readonly budgetSpentDay: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A root span the sweep considers: one trace. */
export interface SweptTrace {
  readonly traceId: string;
  readonly receivedAt: string;
  readonly release: string | null;
  readonly serviceName: string | null;
  readonly sessionId: string | null;
  readonly document: string;
}

/**
 * Online rules, by project and name. Saving a rule with an existing name replaces its spec and keeps
 * its sweep position, so editing a rule neither rescores old traces nor skips new ones.
 */
export class OnlineRuleRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Creates or replaces the rule named in `spec`. A new rule sweeps traces received from now on, or,
   * with `backfill`, every stored trace.
   */
  async save(projectId: string, spec: OnlineRuleSpec, options: { enabled?: boolean; backfill?: boolean } = {}, db: Executor = this.db): Promise<{ rule: OnlineRuleRecord; created: boolean }> {
    const at = new Date(this.now()).toISOString();
    const enabled = options.enabled ?? true;
    const existing = await this.find(projectId, spec.name, db);
    if (existing) {
      await db.updateTable('online_rules').set({ spec: toJson(spec), enabled: enabled ? 1 : 0, updated_at: at }).where('id', '=', existing.id).execute();
      return { rule: await this.get(existing.id, db), created: false };
    }
    const id = newId('orl', this.now());
    await db
      .insertInto('online_rules')
      .values({ id, project_id: projectId, name: spec.name, spec: toJson(spec), enabled: enabled ? 1 : 0, cursor_at: options.backfill ? '' : at, cursor_trace: '', budget_spent_day: null, created_at: at, updated_at: at })
      .onConflict((oc) => oc.columns(['project_id', 'name']).doNothing())
      .execute();
    const rule = await this.find(projectId, spec.name, db);
    if (!rule) throw new EvalOpsError('internal', `online rule ${spec.name} vanished after insert`);
    return { rule, created: rule.id === id };
  }

  async get(id: string, db: Executor = this.db): Promise<OnlineRuleRecord> {
    const row = await db.selectFrom('online_rules').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `online rule ${id} not found`);
    return toRecord(row);
  }

  async find(projectId: string, name: string, db: Executor = this.db): Promise<OnlineRuleRecord | undefined> {
    const row = await db.selectFrom('online_rules').selectAll().where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** A rule by name or id. */
  async resolve(projectId: string, ref: string): Promise<OnlineRuleRecord> {
    const row = await this.db.selectFrom('online_rules').selectAll().where('project_id', '=', projectId).where((eb) => eb.or([eb('name', '=', ref), eb('id', '=', ref)])).executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `no online rule named ${ref}`);
    return toRecord(row);
  }

  async list(projectId: string): Promise<OnlineRuleRecord[]> {
    const rows = await this.db.selectFrom('online_rules').selectAll().where('project_id', '=', projectId).orderBy('name').execute();
    return rows.map(toRecord);
  }

  /** Enabled rules of every project: what the sweep works through. */
  async listEnabled(): Promise<OnlineRuleRecord[]> {
    const rows = await this.db.selectFrom('online_rules').selectAll().where('enabled', '=', 1).orderBy('id').execute();
    return rows.map(toRecord);
  }

  async setEnabled(id: string, enabled: boolean): Promise<void> {
    await this.db.updateTable('online_rules').set({ enabled: enabled ? 1 : 0, updated_at: new Date(this.now()).toISOString() }).where('id', '=', id).execute();
  }

  /**
   * Root spans after the rule's cursor and received no later than `until`, oldest first: the next
   * traces for the sweep to consider.
   */
  async nextTraces(rule: OnlineRuleRecord, until: string, limit: number, db: Executor = this.db): Promise<SweptTrace[]> {
    const rows = await db
      .selectFrom('spans')
      .select(['trace_id', 'received_at', 'release', 'service_name', 'session_id', 'document'])
      .where('project_id', '=', rule.projectId)
      .where('parent_span_id', 'is', null)
      .where((eb) => eb.or([eb('received_at', '>', rule.cursorAt), eb.and([eb('received_at', '=', rule.cursorAt), eb('trace_id', '>', rule.cursorTrace)])]))
      .where('received_at', '<=', until)
      .orderBy('received_at')
      .orderBy('trace_id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ traceId: r.trace_id, receivedAt: r.received_at, release: r.release, serviceName: r.service_name, sessionId: r.session_id, document: r.document }));
  }

  /**
   * Moves the cursor from where `rule` says it is to (at, trace); false when another sweeper moved
   * it first (compare-and-set), so two workers never both hand out the same traces' jobs as theirs.
   */
  async advanceCursor(rule: OnlineRuleRecord, at: string, trace: string, db: Executor = this.db): Promise<boolean> {
    const result = await db
      .updateTable('online_rules')
      .set({ cursor_at: at, cursor_trace: trace })
      .where('id', '=', rule.id)
      .where('cursor_at', '=', rule.cursorAt)
      .where('cursor_trace', '=', rule.cursorTrace)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Marks the day's budget spent; true for the caller that marked it first (who raises the alert). */
  async markBudgetSpent(id: string, day: string, db: Executor = this.db): Promise<boolean> {
    const result = await db
      .updateTable('online_rules')
      .set({ budget_spent_day: day })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('budget_spent_day', 'is', null), eb('budget_spent_day', '<>', day)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Judge spend of the rule since `sinceIso` (scored_at). */
  async spentSince(id: string, sinceIso: string, db: Executor = this.db): Promise<number> {
    const row = await db
      .selectFrom('online_traces')
      .select(sql<number>`coalesce(sum(scoring_cost_usd), 0)`.as('spent'))
      .where('rule_id', '=', id)
      .where('scored_at', '>=', sinceIso)
      .executeTakeFirstOrThrow();
    return Number(row.spent);
  }
}

function toRecord(row: Database['online_rules']): OnlineRuleRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    spec: fromJson(row.spec, OnlineRuleSpecSchema, `online rule ${row.name}`),
    enabled: row.enabled === 1,
    cursorAt: row.cursor_at,
    cursorTrace: row.cursor_trace,
    budgetSpentDay: row.budget_spent_day,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
