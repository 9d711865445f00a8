import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Executor } from './audit-repository.js';
import type { Database } from './database.js';

/** Twelve hours: a working day, after which the UI asks for the key again (absolute, not sliding). */
export const WEB_SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** A session just started: its id exists only here and in the browser's cookie. */
export interface StartedWebSession {
  /** 256 random bits, base64url: the cookie's value. */
  readonly id: string;
  readonly keyId: string;
  readonly expiresMs: number;
}

/** A live session as found by its id. */
export interface WebSessionRecord {
  readonly keyId: string;
  readonly createdAt: string;
  readonly expiresMs: number;
}

/** Session ids are 32 random bytes in base64url; anything else is not looked up. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * Sign-in sessions of the web UI, shared by every server replica through the database. Only the
 * SHA-256 of a session id is stored (the id has 256 bits of entropy, so a fast hash is enough), with
 * the key it acts as and an absolute expiry. Ended by sign-out (`delete`), by expiry, and by revoking
 * the key (`ApiKeyRepository.revoke` deletes the key's sessions in its transaction; authentication
 * also re-reads the key on every request).
 *
 * @example
 * const { id } = await store.webSessions.start(principal.keyId); // id goes into the cookie
 * const session = await store.webSessions.find(id); // { keyId, … } until it expires
 */
export class WebSessionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
    private readonly ttlMs: number = WEB_SESSION_TTL_MS,
  ) {}

  /** Starts a session for a key; expired sessions of any key are swept out on the way. */
  async start(keyId: string): Promise<StartedWebSession> {
    const now = this.now();
    const id = randomBytes(32).toString('base64url');
    const expiresMs = now + this.ttlMs;
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('web_sessions').where('expires_ms', '<=', now).execute();
      await trx.insertInto('web_sessions').values({ id_hash: hashSessionId(id), key_id: keyId, created_at: new Date(now).toISOString(), expires_ms: expiresMs }).execute();
    });
    return { id, keyId, expiresMs };
  }

  /** The live session with that id, or undefined (unknown, malformed, ended or expired). */
  async find(id: string): Promise<WebSessionRecord | undefined> {
    if (!SESSION_ID.test(id)) return undefined;
    const row = await this.db.selectFrom('web_sessions').select(['key_id', 'created_at', 'expires_ms']).where('id_hash', '=', hashSessionId(id)).executeTakeFirst();
    if (!row || Number(row.expires_ms) <= this.now()) return undefined;
    return { keyId: row.key_id, createdAt: row.created_at, expiresMs: Number(row.expires_ms) };
  }

  /** Ends one session (sign-out). Returns whether there was one. */
  async end(id: string): Promise<boolean> {
    if (!SESSION_ID.test(id)) return false;
    const result = await this.db.deleteFrom('web_sessions').where('id_hash', '=', hashSessionId(id)).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Ends every session of a key (its revocation); pass the revoking transaction as `db`. */
  async endForKey(keyId: string, db: Executor = this.db): Promise<number> {
    const result = await db.deleteFrom('web_sessions').where('key_id', '=', keyId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Live sessions of a key (for tests and an operator's look). */
  async countForKey(keyId: string): Promise<number> {
    const row = await this.db
      .selectFrom('web_sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('key_id', '=', keyId)
      .where('expires_ms', '>', this.now())
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

/** What the database holds for a session id. */
export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}
