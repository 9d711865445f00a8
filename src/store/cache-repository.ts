import type { Kysely } from 'kysely';
import type { Database } from './database.js';

/**
 * The response cache: target outputs keyed by (target variant, input, trial). A rerun of the same
 * variant over the same inputs reuses them instead of calling the target again.
 */
export class CacheRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async getMany(keys: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      if (chunk.length === 0) continue;
      const rows = await this.db.selectFrom('response_cache').select(['key', 'value']).where('key', 'in', chunk).execute();
      for (const r of rows) out.set(r.key, r.value);
    }
    return out;
  }

  async get(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('response_cache').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  /** The entry with the time it was recorded. */
  async getEntry(key: string): Promise<{ value: string; createdAt: string } | undefined> {
    const row = await this.db.selectFrom('response_cache').select(['value', 'created_at']).where('key', '=', key).executeTakeFirst();
    return row ? { value: row.value, createdAt: row.created_at } : undefined;
  }

  async putMany(entries: readonly { key: string; targetVariant: string; value: string }[]): Promise<void> {
    if (entries.length === 0) return;
    const at = new Date().toISOString();
    for (let i = 0; i < entries.length; i += 500) {
      await this.db
        .insertInto('response_cache')
        .values(entries.slice(i, i + 500).map((e) => ({ key: e.key, target_variant: e.targetVariant, value: e.value, created_at: at })))
        .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), created_at: at })))
        .execute();
    }
  }

  async clear(targetVariant?: string): Promise<number> {
    let q = this.db.deleteFrom('response_cache');
    if (targetVariant) q = q.where('target_variant', '=', targetVariant);
    const res = await q.executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
