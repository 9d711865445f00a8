import { sql, type ExpressionBuilder, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { GateOutcomeSchema, type GateOutcome } from '../core/gate/gate-decision.js';
import type { Database } from './database.js';
import { newId } from './ids.js';
import type { ProjectScope } from './project-scope.js';
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
  /** The percentage of an override to narrow; null otherwise (and on approvals). */
  readonly rolloutPercent: number | null;
  readonly createdAt: string;
}

/** A decision as a list shows it: read without its document (findings, evidence, comparisons). */
export interface GateDecisionHead {
  readonly id: string;
  readonly createdAt: string;
  readonly outcome: GateOutcome;
  readonly rolloutPercent: number | null;
  readonly candidateRunId: string;
  readonly baselineRunId: string | null;
  /** The candidate's variant hash, and the readable label its run recorded (null on older runs). */
  readonly variant: string;
  readonly targetType: string | null;
  readonly targetLabel: string | null;
  readonly summary: string;
  readonly owners: readonly string[];
  readonly overrides: number;
  /** The outcome in force and its percentage: the latest override's, else the decision's own. */
  readonly effectiveOutcome: GateOutcome;
  readonly effectiveRolloutPercent: number | null;
}

/** Where a page of decisions starts: after the one with this creation time and id (exclusive). */
export interface DecisionPageAfter {
  readonly createdAt: string;
  readonly id: string;
}

const OwnersSchema = z.array(z.string());

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
  /** The rollout percentage in force: the latest override's, else the decision's own. */
  readonly effectiveRolloutPercent: number | null;
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
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

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

  async addOverride(override: Omit<OverrideRecord, 'id' | 'createdAt' | 'rolloutPercent'> & { readonly rolloutPercent?: number | null }, db: Executor = this.db): Promise<OverrideRecord> {
    const record: OverrideRecord = { ...override, rolloutPercent: override.rolloutPercent ?? null, id: newId('ovr'), createdAt: new Date().toISOString() };
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
        rollout_percent: record.rolloutPercent,
        created_at: record.createdAt,
      })
      .execute();
    return record;
  }

  async get<D>(id: string, documentSchema: z.ZodType<D>): Promise<GateDecisionRecord<D>> {
    return this.getInProject(null, id, documentSchema);
  }

  /** A decision of the project in scope (any project for null): one of another project is not found. */
  async getInProject<D>(scope: ProjectScope, id: string, documentSchema: z.ZodType<D>): Promise<GateDecisionRecord<D>> {
    let q = this.db.selectFrom('gate_decisions').selectAll().where('id', '=', id);
    if (scope !== null) q = q.where('project_id', '=', scope);
    const row = await q.executeTakeFirst();
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
   * A page of a project's decisions, newest first (ties by id, descending), without parsing their
   * documents: the list's fields are read in SQL, the latest override's outcome with them.
   */
  async heads(projectId: string, page: { readonly after?: DecisionPageAfter; readonly limit: number }): Promise<GateDecisionHead[]> {
    type Scope = ExpressionBuilder<Database & { g: Database['gate_decisions'] }, 'g'>;
    const latest = (eb: Scope, column: 'outcome' | 'rollout_percent') =>
      eb.selectFrom('overrides as o').select(`o.${column}`).whereRef('o.decision_id', '=', 'g.id').orderBy('o.created_at', 'desc').orderBy('o.id', 'desc').limit(1);
    let q = this.db
      .selectFrom('gate_decisions as g')
      .leftJoin('runs as r', 'r.id', 'g.candidate_run_id')
      .select(['g.id', 'g.created_at', 'g.outcome', 'g.rollout_percent', 'g.candidate_run_id', 'g.baseline_run_id', 'r.target_type', 'r.target_label'])
      .select((eb) => [
        this.documentText(['candidate', 'variant']).as('variant'),
        this.documentText(['summary']).as('summary'),
        this.documentJson('owners').as('owners'),
        eb.selectFrom('overrides as o').select((o) => o.fn.countAll<number>().as('n')).whereRef('o.decision_id', '=', 'g.id').as('overrides'),
        latest(eb, 'outcome').as('last_outcome'),
        latest(eb, 'rollout_percent').as('last_percent'),
      ])
      .where('g.project_id', '=', projectId);
    if (page.after !== undefined) {
      const { createdAt, id } = page.after;
      q = q.where((eb) => eb.or([eb('g.created_at', '<', createdAt), eb.and([eb('g.created_at', '=', createdAt), eb('g.id', '<', id)])]));
    }
    const rows = await q.orderBy('g.created_at', 'desc').orderBy('g.id', 'desc').limit(page.limit).execute();
    return rows.map((r) => {
      const outcome = GateOutcomeSchema.parse(r.outcome);
      const rolloutPercent = r.rollout_percent === null ? null : Number(r.rollout_percent);
      const overridden = r.last_outcome !== null && r.last_outcome !== undefined;
      return {
        id: r.id,
        createdAt: r.created_at,
        outcome,
        rolloutPercent,
        candidateRunId: r.candidate_run_id,
        baselineRunId: r.baseline_run_id,
        variant: String(r.variant ?? ''),
        targetType: r.target_type,
        targetLabel: r.target_label,
        summary: String(r.summary ?? ''),
        owners: r.owners === null ? [] : fromJson(String(r.owners), OwnersSchema, 'gate decision owners'),
        overrides: Number(r.overrides ?? 0),
        effectiveOutcome: overridden ? GateOutcomeSchema.parse(r.last_outcome) : outcome,
        effectiveRolloutPercent: overridden ? (r.last_percent === null || r.last_percent === undefined ? null : Number(r.last_percent)) : rolloutPercent,
      };
    });
  }

  /** A text field of the decision document `g.document`. */
  private documentText(path: readonly string[]): RawBuilder<string | null> {
    if (this.dialect === 'postgres') return sql<string | null>`(g.document::jsonb #>> ${`{${path.join(',')}}`})`;
    return sql<string | null>`json_extract(g.document, ${`$.${path.join('.')}`})`;
  }

  /** A field of the decision document as JSON text. */
  private documentJson(field: string): RawBuilder<string | null> {
    if (this.dialect === 'postgres') return sql<string | null>`((g.document::jsonb -> ${field})::text)`;
    return sql<string | null>`json_extract(g.document, ${`$.${field}`})`;
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
      // A run on a subset (a PR gate) never becomes the baseline: the full suite decides on main.
      .leftJoin('run_subsets as rs', 'rs.run_id', 'g.candidate_run_id')
      .select(['g.id', 'g.candidate_run_id', 'g.outcome', 'g.created_at'])
      .select((eb) => eb.fn.max('o.created_at').as('last_override'))
      .where('g.project_id', '=', projectId)
      .where('rs.run_id', 'is', null)
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
        rolloutPercent: o.rollout_percent === null ? null : Number(o.rollout_percent),
        createdAt: o.created_at,
      }),
    );
    const outcome = GateOutcomeSchema.parse(row.outcome);
    const rolloutPercent = row.rollout_percent === null ? null : Number(row.rollout_percent);
    const lastOverride = overrides.at(-1);
    return {
      id: row.id,
      projectId: row.project_id,
      candidateRunId: row.candidate_run_id,
      baselineRunId: row.baseline_run_id,
      outcome,
      rolloutPercent,
      document: fromJson(row.document, documentSchema, 'gate decision'),
      createdAt: row.created_at,
      overrides,
      effectiveOutcome: lastOverride ? lastOverride.outcome : outcome,
      effectiveRolloutPercent: lastOverride ? lastOverride.rolloutPercent : rolloutPercent,
    };
  }
}
