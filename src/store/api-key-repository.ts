import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import { displayKey, generateApiKey, hashApiKey, isKeyPrefix, parseApiKey } from '../auth/api-key.js';
import { RoleSchema, type Role } from '../auth/roles.js';
import type { AuditEntry } from '../core/audit-chain.js';
import { EvalOpsError } from '../core/errors.js';
import { withWriteRetry, type AuditRepository, type Executor } from './audit-repository.js';
import type { Database } from './database.js';
import { newId } from './ids.js';
import type { ProjectScope } from './project-scope.js';

type StoreDialect = 'sqlite' | 'postgres';

/**
 * The project whose audit chain records changes to instance-wide (admin) keys, which belong to no
 * project. Its name starts with "_", which project names of configs cannot (they are slugs), so it
 * never meets a user's project: `evalops audit list --project _instance` shows those entries.
 */
export const INSTANCE_AUDIT_PROJECT = '_instance';

/** An API key as it may be shown: everything but the hash. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly prefix: string;
  readonly role: Role;
  /** null for an instance-wide admin key. */
  readonly projectId: string | null;
  readonly projectName: string | null;
  readonly name: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
}

/** A key just created: its plaintext exists only here, once. */
export interface CreatedApiKey {
  readonly record: ApiKeyRecord;
  readonly plaintext: string;
  /** The `key.create` entry written in the same transaction. */
  readonly audit: AuditEntry;
}

export interface RevokedApiKey {
  readonly record: ApiKeyRecord;
  /** True when the key was revoked before: nothing changed and nothing was audited. */
  readonly alreadyRevoked: boolean;
  /** The `key.revoke` entry, or null when the key was already revoked. */
  readonly audit: AuditEntry | null;
}

/** What authentication reads: the record and the hash to verify against. */
export interface StoredApiKey {
  readonly record: ApiKeyRecord;
  readonly hash: string;
}

export const NewApiKeySchema = z
  .object({
    role: RoleSchema,
    /** null: an instance-wide key (admin only). */
    projectId: z.string().min(1).nullable(),
    name: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(200, 'must be at most 200 characters')
      .refine((s) => !/\p{Cc}/u.test(s), 'must not contain control characters')
      .optional(),
    createdBy: z.string().trim().min(1, 'must not be empty').max(320),
  })
  .refine((k) => k.projectId !== null || k.role === 'admin', { message: 'only admin keys may be instance-wide; name a project' });
export type NewApiKey = z.input<typeof NewApiKeySchema>;

export interface ApiKeyListOptions {
  /** A project's keys; null: the instance-wide keys; absent: every key. */
  readonly projectId?: string | null;
}

/** Default interval between two writes of a key's last use. */
export const TOUCH_INTERVAL_MS = 60_000;
const TOUCH_MEMORY_LIMIT = 10_000;
/** First key of the PostgreSQL advisory lock that serialises the bootstrap check ('eval'). */
const LOCK_CLASS = 0x6576616c;
/** Second key of that lock: "keys". */
const BOOTSTRAP_LOCK = 0x6b657973;

/**
 * API keys, stored hashed (src/auth/api-key.ts). Creating and revoking a key appends `key.create`
 * and `key.revoke` to the audit log in the same transaction: to the key's project chain, or for an
 * instance-wide key to the chain of INSTANCE_AUDIT_PROJECT. No method but `findByPrefix` (the
 * authentication path) returns the hash.
 *
 * @example
 * const { plaintext, record } = await store.apiKeys.create({ role: 'ingest', projectId, name: 'prod app', createdBy: 'ana@example.com' });
 */
export class ApiKeyRepository {
  /** When this process last wrote each key's last use (ms); bounded, and only a shortcut. */
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditRepository,
    private readonly dialect: StoreDialect,
    private readonly now: () => number = Date.now,
    private readonly touchIntervalMs: number = TOUCH_INTERVAL_MS,
  ) {}

  /** Creates a key and returns its plaintext — the only time it exists outside the caller's hands. */
  async create(input: NewApiKey, db: Executor = this.db): Promise<CreatedApiKey> {
    const parsed = parseNewKey(input);
    if (db.isTransaction) return this.createIn(db as Transaction<Database>, parsed);
    // A prefix collision (40 random bits) is a unique violation: the retry draws a new key.
    return withWriteRetry(() => this.db.transaction().execute((trx) => this.createIn(trx, parsed)));
  }

  /**
   * Creates the key only when there is no key at all (revoked ones count), else returns undefined.
   * One caller wins however many processes race: the check and the insert run under one lock (a
   * PostgreSQL advisory lock, SQLite's write lock).
   */
  async createFirst(input: NewApiKey): Promise<CreatedApiKey | undefined> {
    const parsed = parseNewKey(input);
    return withWriteRetry(() =>
      this.db.transaction().execute(async (trx) => {
        if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${LOCK_CLASS}::int4, ${BOOTSTRAP_LOCK}::int4)`.execute(trx);
        else await sql`update api_keys set id = id where 1 = 0`.execute(trx);
        const any = await trx.selectFrom('api_keys').select('id').limit(1).executeTakeFirst();
        return any ? undefined : this.createIn(trx, parsed);
      }),
    );
  }

  async get(id: string, db: Executor = this.db): Promise<ApiKeyRecord> {
    const row = await this.query(db).where('k.id', '=', id).executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `API key ${id} not found`);
    return toRecord(row);
  }

  /**
   * A key by id (`key_…`), prefix (`k3v9qa2m`), display form (`eo_k3v9qa2m`) or the whole key.
   * @example await store.apiKeys.resolve('eo_k3v9qa2m')
   */
  async resolve(ref: string, db: Executor = this.db, scope: ProjectScope = null): Promise<ApiKeyRecord> {
    const prefix = prefixOf(ref);
    let q = prefix ? this.query(db).where('k.prefix', '=', prefix) : this.query(db).where('k.id', '=', ref);
    // A project's scope sees that project's keys only: an instance-wide key or another project's is not found.
    if (scope !== null) q = q.where('k.project_id', '=', scope);
    const row = await q.executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `no API key with id or prefix "${ref}"`);
    return toRecord(row);
  }

  /** Keys, newest first; revoked ones included (see `revokedAt`). */
  async list(options: ApiKeyListOptions = {}): Promise<ApiKeyRecord[]> {
    let q = this.query(this.db);
    if (options.projectId === null) q = q.where('k.project_id', 'is', null);
    else if (options.projectId !== undefined) q = q.where('k.project_id', '=', options.projectId);
    const rows = await q.orderBy('k.created_at', 'desc').orderBy('k.id', 'desc').execute();
    return rows.map(toRecord);
  }

  /** How many keys exist, revoked ones included. */
  async count(): Promise<number> {
    const row = await this.db.selectFrom('api_keys').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Revokes a key (by any form `resolve` takes), for good, and ends every web UI session signed in
   * with it in the same transaction. Revoking a revoked key changes nothing and says so
   * (`alreadyRevoked`), so a script that revokes a leaked key can safely run twice.
   */
  async revoke(ref: string, actor: string, scope: ProjectScope = null): Promise<RevokedApiKey> {
    const by = z.string().trim().min(1).max(320).safeParse(actor);
    if (!by.success) throw new EvalOpsError('input', 'revoking a key needs the actor');
    return withWriteRetry(() =>
      this.db.transaction().execute(async (trx) => {
        // Serialise revocations of the key: SQLite's write lock before reading, a row lock on PostgreSQL.
        if (this.dialect === 'sqlite') await sql`update api_keys set id = id where 1 = 0`.execute(trx);
        const found = await this.resolve(ref, trx, scope);
        if (this.dialect === 'postgres') await sql`select id from api_keys where id = ${found.id} for update`.execute(trx);
        const current = await this.get(found.id, trx);
        if (current.revokedAt !== null) return { record: current, alreadyRevoked: true, audit: null };
        await trx
          .updateTable('api_keys')
          .set({ revoked_at: new Date(this.now()).toISOString(), revoked_by: by.data })
          .where('id', '=', current.id)
          .execute();
        await trx.deleteFrom('web_sessions').where('key_id', '=', current.id).execute();
        const record = await this.get(current.id, trx);
        const audit = await this.appendAudit(trx, record, by.data, 'key.revoke');
        return { record, alreadyRevoked: false, audit };
      }),
    );
  }

  /** The key with that prefix and its hash, for authentication only. */
  async findByPrefix(prefix: string): Promise<StoredApiKey | undefined> {
    if (!isKeyPrefix(prefix)) return undefined;
    const row = await this.query(this.db).select('k.hash').where('k.prefix', '=', prefix).executeTakeFirst();
    return row ? { record: toRecord(row), hash: row.hash } : undefined;
  }

  /**
   * Records that a key was used, at most once per interval (default a minute) per key, so a hot
   * ingest path does not write on every request: this process skips the write when it wrote lately,
   * and the update itself skips a row another process touched within the interval. Returns whether
   * it wrote.
   */
  async touchLastUsed(id: string): Promise<boolean> {
    const now = this.now();
    const last = this.touched.get(id);
    if (last !== undefined && now - last < this.touchIntervalMs) return false;
    const threshold = new Date(now - this.touchIntervalMs).toISOString();
    const result = await this.db
      .updateTable('api_keys')
      .set({ last_used_at: new Date(now).toISOString() })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', threshold)]))
      .executeTakeFirst();
    if (this.touched.size >= TOUCH_MEMORY_LIMIT) this.touched.clear();
    this.touched.set(id, now);
    return Number(result.numUpdatedRows) > 0;
  }

  private async createIn(trx: Transaction<Database>, input: z.output<typeof NewApiKeySchema>): Promise<CreatedApiKey> {
    if (input.projectId !== null) {
      const project = await trx.selectFrom('projects').select('id').where('id', '=', input.projectId).executeTakeFirst();
      if (!project) throw new EvalOpsError('not_found', `project ${input.projectId} not found`);
    }
    const { prefix, key } = generateApiKey();
    const id = newId('key', this.now());
    await trx
      .insertInto('api_keys')
      .values({
        id,
        prefix,
        hash: hashApiKey(key),
        project_id: input.projectId,
        role: input.role,
        name: input.name ?? null,
        created_at: new Date(this.now()).toISOString(),
        created_by: input.createdBy,
        last_used_at: null,
        revoked_at: null,
        revoked_by: null,
      })
      .execute();
    const record = await this.get(id, trx);
    const audit = await this.appendAudit(trx, record, input.createdBy, 'key.create');
    return { record, plaintext: key, audit };
  }

  /** Appends the key change to its project's chain (or the instance chain); the hash is never in it. */
  private async appendAudit(trx: Transaction<Database>, record: ApiKeyRecord, actor: string, action: 'key.create' | 'key.revoke'): Promise<AuditEntry> {
    const chain = record.projectId ?? (await this.instanceProjectId(trx));
    const payload = { key: displayKey(record.prefix), role: record.role, project: record.projectName, name: record.name };
    return this.audit.append(chain, { actor, action, entityType: 'api_key', entityId: record.id, payload }, trx);
  }

  private async instanceProjectId(trx: Transaction<Database>): Promise<string> {
    await trx
      .insertInto('projects')
      .values({ id: newId('prj', this.now()), name: INSTANCE_AUDIT_PROJECT, created_at: new Date(this.now()).toISOString() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await trx.selectFrom('projects').select('id').where('name', '=', INSTANCE_AUDIT_PROJECT).executeTakeFirstOrThrow();
    return row.id;
  }

  private query(db: Executor) {
    return db
      .selectFrom('api_keys as k')
      .leftJoin('projects as p', 'p.id', 'k.project_id')
      .select([
        'k.id',
        'k.prefix',
        'k.role',
        'k.project_id',
        'p.name as project_name',
        'k.name',
        'k.created_at',
        'k.created_by',
        'k.last_used_at',
        'k.revoked_at',
        'k.revoked_by',
      ]);
  }
}

type KeyRow = Omit<Database['api_keys'], 'hash'> & { project_name: string | null };

function parseNewKey(input: NewApiKey): z.output<typeof NewApiKeySchema> {
  const parsed = NewApiKeySchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? `${issue.path.join('.')} ` : '';
    throw new EvalOpsError('input', `invalid API key: ${field}${issue?.message ?? parsed.error.message}`);
  }
  return parsed.data;
}

/** The prefix a reference names (prefix, `eo_<prefix>`, or the whole key), or undefined for an id. */
function prefixOf(ref: string): string | undefined {
  if (isKeyPrefix(ref)) return ref;
  const display = /^eo_([a-z2-7]{8})$/.exec(ref);
  if (display) return display[1];
  return parseApiKey(ref)?.prefix;
}

function toRecord(row: KeyRow): ApiKeyRecord {
  const role = RoleSchema.safeParse(row.role);
  if (!role.success) throw new EvalOpsError('internal', `API key ${row.id} has an unknown role "${row.role}"`);
  return {
    id: row.id,
    prefix: row.prefix,
    role: role.data,
    projectId: row.project_id,
    projectName: row.project_name,
    name: row.name,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  };
}
