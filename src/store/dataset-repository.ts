import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { ConversationSpecSchema } from '../core/conversation.js';
import { ExampleSourceSchema, type Example } from '../core/example.js';
import type { Database } from './database.js';
import { newId } from './ids.js';
import { fromJson, fromJsonValue, toJson } from './json-column.js';
import type { ExampleRow, ExampleRowsWriter } from './sqlite/sqlite-example-writer.js';

export interface DatasetVersionRecord {
  readonly id: string;
  readonly datasetId: string;
  readonly datasetName: string;
  readonly hash: string;
  readonly exampleCount: number;
  readonly sourcePath: string | null;
  readonly createdAt: string;
}

export interface DatasetSummary {
  readonly id: string;
  readonly name: string;
  readonly versions: number;
  readonly latest: DatasetVersionRecord | undefined;
}

export interface SaveVersionResult {
  readonly version: DatasetVersionRecord;
  /** False when a version with the same content hash already existed. */
  readonly created: boolean;
}

const SlicesSchema = z.array(z.string());
const MetadataSchema = z.record(z.string(), z.unknown());
const INSERT_BATCH = 400;

/** Datasets and their immutable, content-addressed versions. */
export class DatasetRepository {
  /**
   * `writeExamples`: SQLite's own insert of example rows (sqlite/sqlite-example-writer.ts), run inside
   * saveVersion's transaction; without it, Kysely (any dialect).
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly writeExamples?: ExampleRowsWriter,
  ) {}

  /**
   * Stores a version (all examples in one transaction, so a failure stores nothing). Idempotent:
   * the same content hash for the same dataset returns the existing version.
   */
  async saveVersion(projectId: string, name: string, hash: string, examples: readonly Example[], sourcePath?: string): Promise<SaveVersionResult> {
    return this.db.transaction().execute(async (trx) => {
      const datasetId = await this.ensureDataset(trx, projectId, name);
      const existing = await this.versionQuery(trx).where('v.dataset_id', '=', datasetId).where('v.hash', '=', hash).executeTakeFirst();
      if (existing) return { version: toVersion(existing), created: false };
      const id = newId('dsv');
      const now = new Date().toISOString();
      await trx
        .insertInto('dataset_versions')
        .values({ id, dataset_id: datasetId, hash, example_count: examples.length, source_path: sourcePath ?? null, created_at: now })
        .execute();
      for (let i = 0; i < examples.length; i += INSERT_BATCH) {
        const rows = examples.slice(i, i + INSERT_BATCH).map((e, j): ExampleRow => ({
          version_id: id,
          id: e.id,
          position: i + j,
          input: toJson(e.input),
          expected: e.expected === undefined ? null : toJson(e.expected),
          metadata: toJson(e.metadata),
          slices: toJson(e.slices),
          source: e.source,
          conversation: e.conversation === undefined ? null : toJson(e.conversation),
        }));
        if (this.writeExamples) this.writeExamples(rows);
        else await trx.insertInto('examples').values(rows).execute();
      }
      return {
        version: { id, datasetId, datasetName: name, hash, exampleCount: examples.length, sourcePath: sourcePath ?? null, createdAt: now },
        created: true,
      };
    });
  }

  async list(projectId: string): Promise<DatasetSummary[]> {
    const datasets = await this.db.selectFrom('datasets').selectAll().where('project_id', '=', projectId).orderBy('name').execute();
    const out: DatasetSummary[] = [];
    for (const d of datasets) {
      const versions = await this.listVersions(projectId, d.name);
      out.push({ id: d.id, name: d.name, versions: versions.length, latest: versions[0] });
    }
    return out;
  }

  /** Versions of a dataset, newest first. */
  async listVersions(projectId: string, name: string): Promise<DatasetVersionRecord[]> {
    const rows = await this.versionQuery(this.db)
      .where('d.project_id', '=', projectId)
      .where('d.name', '=', name)
      .orderBy('v.created_at', 'desc')
      .orderBy('v.id', 'desc')
      .execute();
    return rows.map(toVersion);
  }

  /** A version by hash prefix (at least 4 characters), or the newest when no hash is given. */
  async getVersion(projectId: string, name: string, hashPrefix?: string): Promise<DatasetVersionRecord> {
    const versions = await this.listVersions(projectId, name);
    if (versions.length === 0) throw new EvalOpsError('not_found', `dataset "${name}" has no versions`);
    if (hashPrefix === undefined) return versions[0] as DatasetVersionRecord;
    const matches = versions.filter((v) => v.hash.startsWith(hashPrefix));
    if (matches.length === 0) throw new EvalOpsError('not_found', `dataset "${name}" has no version ${hashPrefix}`);
    if (matches.length > 1) throw new EvalOpsError('usage', `version prefix ${hashPrefix} is ambiguous for dataset "${name}"`);
    return matches[0] as DatasetVersionRecord;
  }

  async getVersionById(versionId: string): Promise<DatasetVersionRecord> {
    const row = await this.versionQuery(this.db).where('v.id', '=', versionId).executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `dataset version ${versionId} not found`);
    return toVersion(row);
  }

  /** Examples of a version in import order (only the given ids, when given). */
  async examples(versionId: string, ids?: readonly string[]): Promise<Example[]> {
    if (ids && ids.length === 0) return [];
    let q = this.db.selectFrom('examples').selectAll().where('version_id', '=', versionId);
    if (ids) q = q.where('id', 'in', [...ids]);
    const rows = await q.orderBy('position').execute();
    return rows.map((r) => {
      const example: Example = {
        id: r.id,
        input: fromJsonValue(r.input) as Example['input'],
        metadata: fromJson(r.metadata, MetadataSchema, 'example metadata'),
        slices: fromJson(r.slices, SlicesSchema, 'example slices'),
        source: ExampleSourceSchema.parse(r.source),
      };
      if (r.expected !== null) example.expected = fromJsonValue(r.expected);
      if (r.conversation !== null) example.conversation = fromJson(r.conversation, ConversationSpecSchema, 'example conversation');
      return example;
    });
  }

  /** Slices of every example of a version, by example id. */
  /**
   * When each example of a version first entered its dataset: the creation time of the oldest version
   * of the same dataset holding an example of that id.
   */
  async exampleFirstSeen(versionId: string): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('examples as e')
      .innerJoin('dataset_versions as v', 'v.id', 'e.version_id')
      .innerJoin('dataset_versions as current', 'current.dataset_id', 'v.dataset_id')
      .innerJoin('examples as mine', (j) => j.onRef('mine.version_id', '=', 'current.id').onRef('mine.id', '=', 'e.id'))
      .select(['e.id as id'])
      .select((eb) => eb.fn.min('v.created_at').as('first'))
      .where('current.id', '=', versionId)
      .groupBy('e.id')
      .execute();
    return new Map(rows.map((r) => [r.id, String(r.first)]));
  }

  async exampleSlices(versionId: string): Promise<Map<string, string[]>> {
    const rows = await this.db.selectFrom('examples').select(['id', 'slices']).where('version_id', '=', versionId).execute();
    // One parse over all of them, and the shape (an array of strings per example) checked by a loop: a
    // gate reads 10,000 and more, and a zod check of 40,000 strings cost a tenth of the gate's reads.
    let all: unknown;
    try {
      all = JSON.parse(`[${rows.map((r) => r.slices).join(',')}]`);
    } catch (cause) {
      throw new EvalOpsError('internal', 'stored example slices is not valid JSON', { cause });
    }
    const problem = sliceListsProblem(all, rows.length);
    if (problem !== null) throw new EvalOpsError('internal', `stored example slices of version ${versionId} ${problem}`);
    const lists = all as string[][];
    return new Map(rows.map((r, i) => [r.id, lists[i] as string[]]));
  }

  private async ensureDataset(trx: Transaction<Database>, projectId: string, name: string): Promise<string> {
    await trx
      .insertInto('datasets')
      .values({ id: newId('ds'), project_id: projectId, name, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.columns(['project_id', 'name']).doNothing())
      .execute();
    const row = await trx.selectFrom('datasets').select('id').where('project_id', '=', projectId).where('name', '=', name).executeTakeFirstOrThrow();
    return row.id;
  }

  private versionQuery(db: Kysely<Database>) {
    return db
      .selectFrom('dataset_versions as v')
      .innerJoin('datasets as d', 'd.id', 'v.dataset_id')
      .select(['v.id', 'v.dataset_id', 'd.name', 'v.hash', 'v.example_count', 'v.source_path', 'v.created_at']);
  }
}

/** Null when `all` is `count` arrays of strings (one per example, as SlicesSchema checks one); else what is wrong. */
function sliceListsProblem(all: unknown, count: number): string | null {
  if (!Array.isArray(all) || all.length !== count) return 'are not one JSON array per example';
  for (let i = 0; i < all.length; i++) {
    const list: unknown = all[i];
    if (!Array.isArray(list)) return `of example ${i + 1} are not an array`;
    for (let j = 0; j < list.length; j++) if (typeof list[j] !== 'string') return `of example ${i + 1} hold a non-string at position ${j}`;
  }
  return null;
}

function toVersion(r: { id: string; dataset_id: string; name: string; hash: string; example_count: number; source_path: string | null; created_at: string }): DatasetVersionRecord {
  return { id: r.id, datasetId: r.dataset_id, datasetName: r.name, hash: r.hash, exampleCount: Number(r.example_count), sourcePath: r.source_path, createdAt: r.created_at };
}
