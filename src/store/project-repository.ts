import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import { newId } from './ids.js';

export interface ProjectRecord {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

/** Projects are the tenant; every record belongs to one. */
export class ProjectRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Returns the project of that name, creating it on first use (safe under concurrent callers). */
  async ensure(name: string): Promise<ProjectRecord> {
    const found = await this.findByName(name);
    if (found) return found;
    await this.db
      .insertInto('projects')
      .values({ id: newId('prj'), name, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const created = await this.findByName(name);
    if (!created) throw new Error(`project "${name}" vanished after insert`);
    return created;
  }

  async findByName(name: string): Promise<ProjectRecord | undefined> {
    const row = await this.db.selectFrom('projects').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? { id: row.id, name: row.name, createdAt: row.created_at } : undefined;
  }

  async findById(id: string): Promise<ProjectRecord | undefined> {
    const row = await this.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? { id: row.id, name: row.name, createdAt: row.created_at } : undefined;
  }

  async list(): Promise<ProjectRecord[]> {
    const rows = await this.db.selectFrom('projects').selectAll().orderBy('name').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
  }
}
