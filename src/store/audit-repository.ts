import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import { AuditEntrySchema, EMPTY_HEAD, nextEntry, verifyChain, type AuditEntry, type ChainFinding, type ChainHead, type NewAuditEntry, type StoredEntry } from '../core/audit-chain.js';
import { EvalOpsError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import type { Database } from './database.js';
import { fromJson } from './json-column.js';

export type Executor = Kysely<Database> | Transaction<Database>;
type StoreDialect = 'sqlite' | 'postgres';

export interface AuditVerification {
  readonly ok: boolean;
  /** Entries checked: all of them when the chain is intact, up to the first bad one otherwise. */
  readonly entries: number;
  /** The newest entry that verified; keep a copy elsewhere to detect truncation of the newest entries. */
  readonly head: ChainHead | null;
  readonly firstBad?: ChainFinding;
}

export interface AuditListOptions {
  readonly limit?: number;
  /** Entries with seq greater than this, oldest first; without it, the newest `limit` entries (still oldest first). */
  readonly after?: number;
  readonly entityType?: string;
  readonly entityId?: string;
}

const MAX_ATTEMPTS = 8;
const VERIFY_PAGE = 1000;
const PayloadSchema = z.record(z.string(), z.unknown());
/** First key of the PostgreSQL advisory lock that serialises appends to one project's chain ('eval'). */
const LOCK_CLASS = 0x6576616c;

/**
 * The append-only, hash-chained audit log (DESIGN.md §7), one chain per project. `append` takes an
 * optional transaction so a change and its audit entry commit together:
 *
 * @example
 * await store.db.transaction().execute(async (trx) => {
 *   const { id } = await store.decisions.create(decision, trx);
 *   await store.audit.append(projectId, { actor, action: 'gate.decision', entityType: 'gate_decision', entityId: id, payload: { outcome } }, trx);
 * });
 *
 * Appends serialise per project: on PostgreSQL through a transaction-scoped advisory lock, on SQLite
 * through the database write lock taken before the chain's head is read. The (project_id, seq)
 * primary key is the final guard; an append in its own transaction retries on a conflict. Inside a
 * caller's transaction, append the audit entry last, so the lock is held for the shortest time.
 */
export class AuditRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: StoreDialect,
    private readonly now: () => number = Date.now,
  ) {}

  async append(projectId: string, entry: NewAuditEntry, db: Executor = this.db): Promise<AuditEntry> {
    if (db.isTransaction) return this.appendIn(db as Transaction<Database>, projectId, entry);
    return withWriteRetry(() => this.db.transaction().execute((trx) => this.appendIn(trx, projectId, entry)));
  }

  /** Entries of a project in seq order (see AuditListOptions for which ones). */
  async list(projectId: string, options: AuditListOptions = {}): Promise<AuditEntry[]> {
    const limit = options.limit ?? 50;
    let q = this.db.selectFrom('audit_log').selectAll().where('project_id', '=', projectId);
    if (options.entityType !== undefined) q = q.where('entity_type', '=', options.entityType);
    if (options.entityId !== undefined) q = q.where('entity_id', '=', options.entityId);
    const rows =
      options.after !== undefined
        ? await q.where('seq', '>', options.after).orderBy('seq', 'asc').limit(limit).execute()
        : (await q.orderBy('seq', 'desc').limit(limit).execute()).reverse();
    return rows.map(toEntry);
  }

  /** One entry, or undefined when there is none at that position. */
  async get(projectId: string, seq: number): Promise<AuditEntry | undefined> {
    const row = await this.db.selectFrom('audit_log').selectAll().where('project_id', '=', projectId).where('seq', '=', seq).executeTakeFirst();
    return row ? toEntry(row) : undefined;
  }

  /** The newest entry's position and hash, or undefined for an empty chain. */
  async head(projectId: string, db: Executor = this.db): Promise<ChainHead | undefined> {
    const row = await db.selectFrom('audit_log').select(['seq', 'hash']).where('project_id', '=', projectId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
  }

  /** Re-computes the whole chain, page by page, and reports the first edited, deleted or reordered entry. */
  async verify(projectId: string): Promise<AuditVerification> {
    let head: ChainHead = EMPTY_HEAD;
    let entries = 0;
    let lastSeq = 0;
    for (;;) {
      const rows = await this.db.selectFrom('audit_log').selectAll().where('project_id', '=', projectId).where('seq', '>', lastSeq).orderBy('seq', 'asc').limit(VERIFY_PAGE).execute();
      if (rows.length === 0) break;
      const result = verifyChain(rows.map(toStored), head);
      entries += result.entries;
      head = result.head;
      if (!result.ok) return { ok: false, entries, head: head.seq === 0 ? null : head, ...(result.firstBad ? { firstBad: result.firstBad } : {}) };
      lastSeq = Number((rows[rows.length - 1] as { seq: number }).seq);
    }
    return { ok: true, entries, head: head.seq === 0 ? null : head };
  }

  private async appendIn(trx: Transaction<Database>, projectId: string, input: NewAuditEntry): Promise<AuditEntry> {
    await this.lockChain(trx, projectId);
    const head = (await this.head(projectId, trx)) ?? EMPTY_HEAD;
    const entry = nextEntry(head, input, new Date(this.now()).toISOString());
    await trx
      .insertInto('audit_log')
      .values({
        project_id: projectId,
        seq: entry.seq,
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        entity_type: entry.entityType,
        entity_id: entry.entityId,
        payload: JSON.stringify(entry.payload),
        prev_hash: entry.prevHash,
        hash: entry.hash,
      })
      .execute();
    return entry;
  }

  private async lockChain(trx: Transaction<Database>, projectId: string): Promise<void> {
    if (this.dialect === 'postgres') {
      await sql`select pg_advisory_xact_lock(${LOCK_CLASS}::int4, ${projectLockKey(projectId)}::int4)`.execute(trx);
    } else {
      // A write that changes nothing still takes SQLite's write lock, so the head read next is current.
      await sql`update audit_log set seq = seq where 1 = 0`.execute(trx);
    }
  }
}

/**
 * Runs `body` (one whole transaction) again when it lost a race: a duplicate key, a PostgreSQL
 * serialisation failure or deadlock, or SQLite reporting the database busy. Other errors pass through.
 */
export async function withWriteRetry<T>(body: () => Promise<T>, attempts = MAX_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await body();
    } catch (e) {
      if (!isWriteConflict(e)) throw e;
      if (attempt >= attempts) {
        throw new EvalOpsError('infrastructure', `gave up after ${attempts} attempts: concurrent writers kept conflicting (${(e as Error).message})`, { cause: e, retryable: true });
      }
      await new Promise((r) => setTimeout(r, Math.min(200, 5 * 2 ** attempt) * Math.random()));
    }
  }
}

/** A duplicate key or lock conflict: the transaction can be run again. */
export function isWriteConflict(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return code === '23505' || code === '40001' || code === '40P01' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code.startsWith('SQLITE_BUSY');
}

function projectLockKey(projectId: string): number {
  return Number.parseInt(sha256(projectId).slice(0, 8), 16) | 0;
}

function toStored(r: Database['audit_log']): StoredEntry {
  return {
    seq: Number(r.seq),
    at: r.at,
    actor: r.actor,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    payload: r.payload,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

function toEntry(r: Database['audit_log']): AuditEntry {
  const parsed = AuditEntrySchema.safeParse({ ...toStored(r), payload: fromJson(r.payload, PayloadSchema, `audit entry ${r.seq}`) });
  if (!parsed.success) throw new EvalOpsError('internal', `stored audit entry ${r.seq} does not match its schema (run evalops audit verify): ${parsed.error.message}`);
  return parsed.data;
}
