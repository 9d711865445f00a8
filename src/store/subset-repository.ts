import { z } from 'zod';
import type { Kysely } from 'kysely';
import { RunSubsetSchema, type RunSubset } from '../core/subset/subset-spec.js';
import type { Database } from './database.js';
import { fromJson, toJson } from './json-column.js';

/** A run's subset: what it was and which examples it held. */
export interface RunSubsetRecord {
  readonly runId: string;
  readonly subset: RunSubset;
  readonly exampleIds: readonly string[];
}

const IdsSchema = z.array(z.string());

/** The subsets runs ran on (`run_subsets`); a run without one ran on the whole dataset. */
export class SubsetRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async save(projectId: string, runId: string, subset: RunSubset, exampleIds: readonly string[]): Promise<void> {
    await this.db
      .insertInto('run_subsets')
      .values({ run_id: runId, project_id: projectId, name: subset.name, description: toJson(subset), example_ids: toJson(exampleIds) })
      .execute();
  }

  /** The run's subset, or undefined when it ran on the whole dataset. */
  async forRun(runId: string): Promise<RunSubsetRecord | undefined> {
    const row = await this.db.selectFrom('run_subsets').selectAll().where('run_id', '=', runId).executeTakeFirst();
    if (!row) return undefined;
    return { runId, subset: fromJson(row.description, RunSubsetSchema, 'run subset'), exampleIds: fromJson(row.example_ids, IdsSchema, 'run subset ids') };
  }

  /** Descriptions only (no ids), for lists and pages. */
  async describe(runIds: readonly string[]): Promise<Map<string, RunSubset>> {
    const out = new Map<string, RunSubset>();
    if (runIds.length === 0) return out;
    const rows = await this.db.selectFrom('run_subsets').select(['run_id', 'description']).where('run_id', 'in', [...runIds]).execute();
    for (const r of rows) out.set(r.run_id, fromJson(r.description, RunSubsetSchema, 'run subset'));
    return out;
  }
}
