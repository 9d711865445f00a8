import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { GateOutcomeSchema, type GateOutcome } from '../core/gate/gate-decision.js';
import type { Database } from './database.js';
import { newId } from './ids.js';
import { fromJson, toJson } from './json-column.js';

type Executor = Kysely<Database> | Transaction<Database>;

export interface OverrideRecord {
  readonly id: string;
  readonly decisionId: string;
  readonly actor: string;
  readonly role: string;
  readonly reason: string;
  readonly evidenceUrl: string;
  readonly outcome: GateOutcome;
  readonly createdAt: string;
}

export interface GateDecisionRecord<D = unknown> {
  readonly id: string;
  readonly projectId: string;
  readonly candidateRunId: string;
  readonly baselineRunId: string | null;
  readonly outcome: GateOutcome;
  readonly rolloutPercent: number | null;
  readonly document: D;
  readonly createdAt: string;
  readonly overrides: readonly OverrideRecord[];
  /** The outcome in force: the latest override's, else the decision's own. */
  readonly effectiveOutcome: GateOutcome;
}

export interface NewGateDecision {
  readonly id: string;
  readonly createdAt: string;
  readonly projectId: string;
  readonly candidateRunId: string;
  readonly baselineRunId: string | null;
  readonly outcome: GateOutcome;
  readonly rolloutPercent: number | null;
  readonly document: unknown;
}

/** Gate decisions and their overrides; both are kept for ever (an override never edits a decision). */
export class GateDecisionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(decision: NewGateDecision, db: Executor = this.db): Promise<void> {
    const { id, createdAt } = decision;
    await db
      .insertInto('gate_decisions')
      .values({
        id,
        project_id: decision.projectId,
        candidate_run_id: decision.candidateRunId,
        baseline_run_id: decision.baselineRunId,
        outcome: decision.outcome,
        rollout_percent: decision.rolloutPercent,
        document: toJson(decision.document),
        created_at: createdAt,
      })
      .execute();
  }

  async addOverride(override: Omit<OverrideRecord, 'id' | 'createdAt'>, db: Executor = this.db): Promise<OverrideRecord> {
    const record: OverrideRecord = { ...override, id: newId('ovr'), createdAt: new Date().toISOString() };
    await db
      .insertInto('overrides')
      .values({
        id: record.id,
        decision_id: record.decisionId,
        actor: record.actor,
        role: record.role,
        reason: record.reason,
        evidence_url: record.evidenceUrl,
        outcome: record.outcome,
        created_at: record.createdAt,
      })
      .execute();
    return record;
  }

  async get<D>(id: string, documentSchema: z.ZodType<D>): Promise<GateDecisionRecord<D>> {
    const row = await this.db.selectFrom('gate_decisions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `gate decision ${id} not found`);
    return this.toRecord(row, documentSchema);
  }

  /** Decisions of a project, newest first. */
  async list<D>(projectId: string, documentSchema: z.ZodType<D>, limit = 50): Promise<GateDecisionRecord<D>[]> {
    const rows = await this.db.selectFrom('gate_decisions').selectAll().where('project_id', '=', projectId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    const out: GateDecisionRecord<D>[] = [];
    for (const row of rows) out.push(await this.toRecord(row, documentSchema));
    return out;
  }

  /**
   * The candidate run of the newest decision whose effective outcome is `approve` (an approved
   * decision, or one overridden to approve), optionally for runs of one dataset.
   */
  async lastApprovedRunId(projectId: string, datasetName?: string): Promise<string | undefined> {
    let q = this.db
      .selectFrom('gate_decisions as g')
      .innerJoin('runs as r', 'r.id', 'g.candidate_run_id')
      .innerJoin('dataset_versions as v', 'v.id', 'r.dataset_version_id')
      .innerJoin('datasets as d', 'd.id', 'v.dataset_id')
      .leftJoin('overrides as o', 'o.decision_id', 'g.id')
      .select(['g.id', 'g.candidate_run_id', 'g.outcome', 'g.created_at'])
      .select((eb) => eb.fn.max('o.created_at').as('last_override'))
      .where('g.project_id', '=', projectId)
      .groupBy(['g.id', 'g.candidate_run_id', 'g.outcome', 'g.created_at'])
      .orderBy('g.created_at', 'desc')
      .orderBy('g.id', 'desc');
    if (datasetName) q = q.where('d.name', '=', datasetName);
    for (const row of await q.execute()) {
      let outcome = row.outcome;
      if (row.last_override) {
        const o = await this.db.selectFrom('overrides').select('outcome').where('decision_id', '=', row.id).orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
        outcome = o.outcome;
      }
      if (outcome === 'approve') return row.candidate_run_id;
    }
    return undefined;
  }

  private async toRecord<D>(row: Database['gate_decisions'], documentSchema: z.ZodType<D>): Promise<GateDecisionRecord<D>> {
    const overrides = (await this.db.selectFrom('overrides').selectAll().where('decision_id', '=', row.id).orderBy('created_at').orderBy('id').execute()).map(
      (o): OverrideRecord => ({
        id: o.id,
        decisionId: o.decision_id,
        actor: o.actor,
        role: o.role,
        reason: o.reason,
        evidenceUrl: o.evidence_url,
        outcome: GateOutcomeSchema.parse(o.outcome),
        createdAt: o.created_at,
      }),
    );
    const outcome = GateOutcomeSchema.parse(row.outcome);
    return {
      id: row.id,
      projectId: row.project_id,
      candidateRunId: row.candidate_run_id,
      baselineRunId: row.baseline_run_id,
      outcome,
      rolloutPercent: row.rollout_percent === null ? null : Number(row.rollout_percent),
      document: fromJson(row.document, documentSchema, 'gate decision'),
      createdAt: row.created_at,
      overrides,
      effectiveOutcome: overrides.length ? (overrides[overrides.length - 1] as OverrideRecord).outcome : outcome,
    };
  }
}
