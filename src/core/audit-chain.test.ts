import { describe, expect, it } from 'vitest';
import { EMPTY_HEAD, entryHash, GENESIS_HASH, nextEntry, verifyChain, type AuditEntry, type NewAuditEntry, type StoredEntry } from './audit-chain.js';
import { EvalOpsError } from './errors.js';
import { sha256 } from './hash.js';

const input = (n: number): NewAuditEntry => ({
  actor: 'ana@example.com',
  action: 'release.transition',
  entityType: 'release',
  entityId: `rel_${n}`,
  payload: { n, to: { status: 'approved', canaryPercent: null } },
});

function chain(length: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  let head = EMPTY_HEAD;
  for (let i = 1; i <= length; i += 1) {
    const e = nextEntry(head, input(i), `2025-01-0${Math.min(i, 9)}T00:00:00.000Z`);
    out.push(e);
    head = { seq: e.seq, hash: e.hash };
  }
  return out;
}

const stored = (entries: readonly AuditEntry[]): StoredEntry[] => entries.map((e) => ({ ...e, payload: JSON.stringify(e.payload) }));

describe('nextEntry', () => {
  it('starts a chain at seq 1 with the genesis hash as previous hash', () => {
    const e = nextEntry(EMPTY_HEAD, input(1), '2025-01-01T00:00:00.000Z');
    expect(e.seq).toBe(1);
    expect(e.prevHash).toBe(GENESIS_HASH);
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
  });

  it('hashes the previous hash followed by the canonical JSON of the entry', () => {
    const e = nextEntry(EMPTY_HEAD, input(1), '2025-01-01T00:00:00.000Z');
    const canonical =
      '{"action":"release.transition","actor":"ana@example.com","at":"2025-01-01T00:00:00.000Z","entityId":"rel_1","entityType":"release","payload":{"n":1,"to":{"canaryPercent":null,"status":"approved"}},"seq":1}';
    expect(e.hash).toBe(sha256(GENESIS_HASH + canonical));
  });

  it('links each entry to the hash of the one before', () => {
    const [a, b, c] = chain(3);
    expect(b?.prevHash).toBe(a?.hash);
    expect(c?.prevHash).toBe(b?.hash);
    expect(c?.seq).toBe(3);
  });

  it('normalises the payload to plain JSON, so the stored text hashes the same', () => {
    const e = nextEntry(EMPTY_HEAD, { ...input(1), payload: { when: new Date('2025-02-03T04:05:06.000Z'), gone: undefined } }, '2025-01-01T00:00:00.000Z');
    expect(e.payload).toEqual({ when: '2025-02-03T04:05:06.000Z' });
    expect(verifyChain(stored([e])).ok).toBe(true);
  });

  it('refuses an entry without an actor or with an unknown action', () => {
    expect(() => nextEntry(EMPTY_HEAD, { ...input(1), actor: '  ' }, 'x')).toThrow(EvalOpsError);
    expect(() => nextEntry(EMPTY_HEAD, { ...input(1), action: 'release.deleted' as never }, 'x')).toThrow(/action/);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and reports its head', () => {
    const entries = chain(5);
    const result = verifyChain(stored(entries));
    expect(result).toEqual({ ok: true, entries: 5, head: { seq: 5, hash: entries[4]?.hash } });
  });

  it('accepts an empty chain', () => {
    expect(verifyChain([])).toEqual({ ok: true, entries: 0, head: EMPTY_HEAD });
  });

  it('continues from a given head, page by page', () => {
    const rows = stored(chain(6));
    const first = verifyChain(rows.slice(0, 3));
    const second = verifyChain(rows.slice(3), first.head);
    expect(second).toMatchObject({ ok: true, entries: 3, head: { seq: 6 } });
    expect(verifyChain(rows.slice(3)).ok).toBe(false);
  });

  it('finds an edited payload as a hash mismatch at that entry', () => {
    const rows = stored(chain(4));
    rows[1] = { ...rows[1]!, payload: JSON.stringify({ n: 2, to: { status: 'live', canaryPercent: null } }) };
    expect(verifyChain(rows)).toMatchObject({ ok: false, firstBad: { seq: 2, problem: 'hash mismatch', entry: rows[1] } });
  });

  it('finds an edited actor, time or action as a hash mismatch', () => {
    for (const edit of [{ actor: 'mallory' }, { at: '2030-01-01T00:00:00.000Z' }, { action: 'policy.change' }, { entityId: 'rel_x' }]) {
      const rows = stored(chain(3));
      rows[2] = { ...rows[2]!, ...edit };
      expect(verifyChain(rows).firstBad).toMatchObject({ seq: 3, problem: 'hash mismatch' });
    }
  });

  it('finds a payload that is no longer JSON as a hash mismatch', () => {
    const rows = stored(chain(2));
    rows[0] = { ...rows[0]!, payload: '{not json' };
    expect(verifyChain(rows).firstBad).toMatchObject({ seq: 1, problem: 'hash mismatch' });
  });

  it('finds an edited entry whose hash was recomputed as a broken link at the next entry', () => {
    const rows = stored(chain(4));
    const forged = { ...chain(4)[1]!, actor: 'mallory' };
    rows[1] = { ...rows[1]!, actor: 'mallory', hash: entryHash(forged.prevHash, forged) };
    expect(verifyChain(rows)).toMatchObject({ ok: false, entries: 3, firstBad: { seq: 3, problem: 'broken link' } });
  });

  it('finds a deleted entry as a gap naming the missing seq', () => {
    const rows = stored(chain(5));
    rows.splice(2, 1);
    expect(verifyChain(rows).firstBad).toEqual({ seq: 3, problem: 'gap', message: 'entry 3 is missing (the next entry is 4)', entry: rows[2] });
  });

  it('finds a deleted entry whose successors were renumbered as a broken link', () => {
    const rows = stored(chain(4));
    rows.splice(1, 1);
    const renumbered = rows.map((r, i) => ({ ...r, seq: i + 1 }));
    expect(verifyChain(renumbered).firstBad).toMatchObject({ seq: 2, problem: 'broken link' });
  });

  it('finds two swapped entries', () => {
    const rows = stored(chain(4));
    const swapped = [rows[0]!, { ...rows[2]!, seq: 2 }, { ...rows[1]!, seq: 3 }, rows[3]!];
    expect(verifyChain(swapped).firstBad).toMatchObject({ seq: 2, problem: 'broken link' });
  });

  it('finds a chain that does not start at seq 1', () => {
    const rows = stored(chain(3)).slice(1);
    expect(verifyChain(rows).firstBad).toMatchObject({ seq: 1, problem: 'gap' });
  });

  it('finds a first entry whose previous hash is not the genesis hash', () => {
    const rows = stored(chain(2));
    rows[0] = { ...rows[0]!, prevHash: 'f'.repeat(64) };
    expect(verifyChain(rows).firstBad).toMatchObject({ seq: 1, problem: 'broken link' });
  });
});
