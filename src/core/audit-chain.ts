import { z } from 'zod';
import { EvalOpsError } from './errors.js';
import { sha256 } from './hash.js';
import { canonicalJson } from './json.js';

/**
 * The audit log's hash chain (DESIGN.md §3, §7), pure: building the next entry and verifying a run
 * of stored entries. Each project has its own chain: entry n carries the hash of entry n-1, and its
 * own hash is `sha256(prevHash + canonicalJson(entry without prevHash and hash))`, so editing,
 * deleting or reordering any entry breaks the chain at that point.
 */

/** The previous hash of a chain's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What gets audited. A closed list, so a new kind of audited change is a deliberate addition. */
export const AuditActionSchema = z.enum(['gate.decision', 'gate.override', 'release.transition', 'release.name', 'release.config', 'policy.change', 'key.create', 'key.revoke', 'judge.calibrate', 'review.adjudicate', 'review.release', 'review.skip', 'review.lease_expired', 'gold.freeze', 'online.rule', 'monitor.change', 'alert.transition', 'webhook.change', 'webhook.replay', 'rollback_rule.change', 'monitor.pause', 'monitor.resume']);
export type AuditAction = z.infer<typeof AuditActionSchema>;

/** What a caller records; the chain adds `seq`, `at`, `prevHash` and `hash`. */
export const NewAuditEntrySchema = z.object({
  actor: z.string().trim().min(1).max(320),
  action: AuditActionSchema,
  entityType: z.string().min(1).max(100),
  entityId: z.string().min(1).max(200),
  payload: z.record(z.string(), z.unknown()),
});
export type NewAuditEntry = z.input<typeof NewAuditEntrySchema>;

export const AuditEntrySchema = NewAuditEntrySchema.extend({
  seq: z.number().int().min(1),
  at: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** The fields a hash covers, loosely typed so that tampered rows (unknown action, odd payload) still verify to a finding. */
export interface HashedFields {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly payload: unknown;
}

/** The end of a chain: the last entry's position and hash (`{ seq: 0, hash: GENESIS_HASH }` when empty). */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

export const EMPTY_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH };

export type ChainProblem = 'hash mismatch' | 'broken link' | 'gap';

export interface ChainFinding {
  /** The first position where the chain is bad (for a gap: the missing seq). */
  readonly seq: number;
  readonly problem: ChainProblem;
  readonly message: string;
  /** The stored entry where the problem showed (for a gap: the entry found after it), as stored. */
  readonly entry: StoredEntry;
}

export interface ChainVerification {
  readonly ok: boolean;
  /** Entries checked (up to and including the first bad one). */
  readonly entries: number;
  /** The last good entry; continue verifying the next page from here. */
  readonly head: ChainHead;
  readonly firstBad?: ChainFinding;
}

/** A stored entry as read back for verification: payload still as text, which may not even be JSON. */
export interface StoredEntry extends Omit<HashedFields, 'payload'> {
  readonly payload: string;
  readonly prevHash: string;
  readonly hash: string;
}

/**
 * @example entryHash(GENESIS_HASH, { seq: 1, at, actor, action: 'gate.decision', entityType: 'gate_decision', entityId: 'gd_1', payload: {} })
 */
export function entryHash(prevHash: string, fields: HashedFields): string {
  const { seq, at, actor, action, entityType, entityId, payload } = fields;
  return sha256(prevHash + canonicalJson({ seq, at, actor, action, entityType, entityId, payload }));
}

/**
 * The entry that follows `head`. The payload is normalised to plain JSON first (dates become strings,
 * `undefined` members vanish), so what is hashed is exactly what is stored and read back.
 */
export function nextEntry(head: ChainHead, input: NewAuditEntry, at: string): AuditEntry {
  const result = NewAuditEntrySchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new EvalOpsError('input', `invalid audit entry: ${issue ? `${issue.path.join('.') || 'entry'}: ${issue.message}` : result.error.message}`);
  }
  const parsed = result.data;
  const payload = JSON.parse(canonicalJson(parsed.payload)) as Record<string, unknown>;
  const fields = { seq: head.seq + 1, at, actor: parsed.actor, action: parsed.action, entityType: parsed.entityType, entityId: parsed.entityId, payload };
  return { ...fields, prevHash: head.hash, hash: entryHash(head.hash, fields) };
}

/**
 * Verifies entries in seq order, continuing from `from` (default: the chain's start). Stops at the
 * first problem: a missing seq (`gap`), a prevHash that is not the previous entry's hash (`broken
 * link`: an entry was deleted, reordered, or an earlier one rewritten with a fresh hash), or a hash
 * that does not match the entry's content (`hash mismatch`: the entry was edited).
 * Deleting the newest entries cannot be seen from the chain alone: compare the head with a copy kept elsewhere.
 */
export function verifyChain(entries: Iterable<StoredEntry>, from: ChainHead = EMPTY_HEAD): ChainVerification {
  let head = from;
  let count = 0;
  for (const entry of entries) {
    count += 1;
    const expected = head.seq + 1;
    const finding = checkEntry(entry, head, expected);
    if (finding) return { ok: false, entries: count, head, firstBad: finding };
    head = { seq: entry.seq, hash: entry.hash };
  }
  return { ok: true, entries: count, head };
}

function checkEntry(entry: StoredEntry, head: ChainHead, expected: number): ChainFinding | undefined {
  if (entry.seq !== expected) {
    return entry.seq > expected
      ? { seq: expected, problem: 'gap', message: `entry ${expected} is missing (the next entry is ${entry.seq})`, entry }
      : { seq: entry.seq, problem: 'gap', message: `entry ${entry.seq} is out of sequence (expected ${expected})`, entry };
  }
  if (entry.prevHash !== head.hash) {
    return { seq: entry.seq, problem: 'broken link', message: `entry ${entry.seq} does not link to entry ${head.seq}: an entry was deleted, reordered or rewritten`, entry };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(entry.payload);
  } catch {
    return { seq: entry.seq, problem: 'hash mismatch', message: `entry ${entry.seq} has a payload that is not JSON: it was edited`, entry };
  }
  if (entryHash(entry.prevHash, { ...entry, payload }) !== entry.hash) {
    return { seq: entry.seq, problem: 'hash mismatch', message: `entry ${entry.seq} does not match its hash: it was edited`, entry };
  }
  return undefined;
}
