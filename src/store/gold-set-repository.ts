import type { Kysely, Transaction } from 'kysely';
import { EvalOpsError } from '../core/errors.js';
import { contentHash } from '../core/hash.js';
import { ReviewPayloadSchema, type ReviewPayload } from '../core/review/review-item.js';
import { RubricSchema, type Rubric } from '../core/review/rubric.js';
import { withWriteRetry } from './audit-repository.js';
import type { Database } from './database.js';
import { newId } from './ids.js';
import { fromJson, toJson } from './json-column.js';

/** One human-settled item of a gold set. */
export interface GoldItem {
  readonly key: string;
  readonly payload: ReviewPayload;
  readonly label: string;
}

export interface GoldSetRecord {
  readonly id: string;
  readonly projectId: string;
  readonly metric: string;
  readonly version: number;
  readonly hash: string;
  readonly itemCount: number;
  readonly rubric: Rubric;
  readonly createdBy: string;
  readonly createdAt: string;
}

/**
 * Gold sets: frozen, versioned sets of human-settled labels for a metric. A version never changes;
 * freezing different content creates the next version, the same content returns the existing one.
 */
export class GoldSetRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Freezes these items as the metric's next gold set version (or returns the latest when identical). */
  async freeze(
    projectId: string,
    metric: string,
    rubric: Rubric,
    items: readonly GoldItem[],
    createdBy: string,
    /** Runs in the same transaction when a version is created (the audit entry). */
    onCreated?: (trx: Transaction<Database>, goldSet: GoldSetRecord) => Promise<void>,
  ): Promise<{ goldSet: GoldSetRecord; created: boolean }> {
    if (items.length === 0) throw new EvalOpsError('input', `no settled items to freeze for metric ${metric}: label and settle (or adjudicate) review items first`);
    const sorted = [...items].sort((a, b) => a.key.localeCompare(b.key));
    const hash = contentHash({ rubric, items: sorted.map((i) => [i.key, i.label, i.payload]) });
    return withWriteRetry(() =>
      this.db.transaction().execute(async (trx) => {
        const latest = await trx.selectFrom('gold_sets').selectAll().where('project_id', '=', projectId).where('metric', '=', metric).orderBy('version', 'desc').limit(1).executeTakeFirst();
        if (latest && latest.hash === hash) return { goldSet: toGoldSet(latest), created: false };
        const record: GoldSetRecord = {
          id: newId('gs'),
          projectId,
          metric,
          version: latest ? Number(latest.version) + 1 : 1,
          hash,
          itemCount: sorted.length,
          rubric,
          createdBy,
          createdAt: new Date(this.now()).toISOString(),
        };
        await trx
          .insertInto('gold_sets')
          .values({ id: record.id, project_id: projectId, metric, version: record.version, hash, item_count: record.itemCount, rubric: toJson(rubric), created_by: createdBy, created_at: record.createdAt })
          .execute();
        const rows = sorted.map((item, position) => ({ gold_set_id: record.id, position, item_key: item.key, payload: toJson(item.payload), label: item.label }));
        for (let i = 0; i < rows.length; i += 200) await trx.insertInto('gold_items').values(rows.slice(i, i + 200)).execute();
        if (onCreated) await onCreated(trx, record);
        return { goldSet: record, created: true };
      }),
    );
  }

  /** The metric's gold set: a given version, else the latest. */
  async get(projectId: string, metric: string, version?: number): Promise<GoldSetRecord> {
    const row = await this.db
      .selectFrom('gold_sets')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('metric', '=', metric)
      .$if(version !== undefined, (q) => q.where('version', '=', version ?? 0))
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', version === undefined ? `metric ${metric} has no gold set yet; freeze one with \`evalops gold freeze ${metric} --queue Q\`` : `metric ${metric} has no gold set version ${version}`);
    return toGoldSet(row);
  }

  async byId(id: string): Promise<GoldSetRecord> {
    const row = await this.db.selectFrom('gold_sets').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `gold set ${id} not found`);
    return toGoldSet(row);
  }

  async list(projectId: string): Promise<GoldSetRecord[]> {
    const rows = await this.db.selectFrom('gold_sets').selectAll().where('project_id', '=', projectId).orderBy('metric').orderBy('version', 'desc').execute();
    return rows.map(toGoldSet);
  }

  async items(goldSetId: string): Promise<GoldItem[]> {
    const rows = await this.db.selectFrom('gold_items').selectAll().where('gold_set_id', '=', goldSetId).orderBy('position').execute();
    return rows.map((r) => ({ key: r.item_key, payload: fromJson(r.payload, ReviewPayloadSchema, 'gold item payload'), label: r.label }));
  }
}

function toGoldSet(r: Database['gold_sets']): GoldSetRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    metric: r.metric,
    version: Number(r.version),
    hash: r.hash,
    itemCount: Number(r.item_count),
    rubric: fromJson(r.rubric, RubricSchema, 'gold set rubric'),
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}
