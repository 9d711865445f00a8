import { listAuditEntries, verifyAuditChain } from '../../api/audit-operations.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, projectFor, type RemoteFlags } from '../open-api-caller.js';
import { parseIntFlag } from '../parse-flags.js';
import { renderTable } from '../render-table.js';

/**
 * `evalops audit list|verify`: the project's hash-chained audit log, on the local database or, with
 * --server, on a server. `verify` exits 1 when the chain is broken (an entry edited, deleted or
 * reordered), like a blocked gate: the check ran and failed.
 * Usage mistakes exit 2 and an unreachable database 4, as everywhere.
 */

interface AuditFlags extends RemoteFlags {
  config?: string;
  project?: string;
  json?: boolean;
}

/** Exit code of `audit verify` for a broken chain. */
export const AUDIT_TAMPERED_EXIT = 1;

/** `evalops audit list`: the newest entries (oldest first), or with --after SEQ the entries after it. */
export async function auditListCommand(flags: AuditFlags & { limit?: string; after?: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const limit = parseIntFlag(flags.limit, '--limit', 1, 100_000) ?? 50;
    const after = parseIntFlag(flags.after, '--after', 0, Number.MAX_SAFE_INTEGER);
    const api = await openApiCaller(flags);
    try {
      const name = await projectFor(api, flags);
      const doc = await api.call(listAuditEntries, { params: { project: name }, query: { limit, ...(after === undefined ? {} : { after }) } });
      if (flags.json) return printJson(doc);
      if (doc.entries.length === 0) return void process.stdout.write(`no audit entries in project "${name}"\n`);
      process.stdout.write(
        `${renderTable(
          ['seq', 'at', 'actor', 'action', 'entity', 'payload'],
          doc.entries.map((e) => [String(e.seq), e.at.replace('T', ' ').slice(0, 19), e.actor, e.action, `${e.entityType}:${e.entityId}`, truncate(JSON.stringify(e.payload), 80)]),
          new Set([0]),
        )}\n`,
      );
    } finally {
      await api.close();
    }
  });
}

/** `evalops audit verify`: exit 0 when the chain is intact, 1 with the first bad entry when not. */
export async function auditVerifyCommand(flags: AuditFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const api = await openApiCaller(flags);
    try {
      const name = await projectFor(api, flags);
      const result = await api.call(verifyAuditChain, { params: { project: name } });
      if (flags.json) {
        printJson(result);
      } else if (result.ok) {
        process.stdout.write(`audit log of "${name}" intact: ${result.entries} entries${result.head ? `, head ${result.head.seq} ${result.head.hash}` : ''}\n`);
      } else if (result.firstBad) {
        const { seq, problem, message, entry } = result.firstBad;
        process.stdout.write(
          [
            `audit log of "${name}" is BROKEN at entry ${seq} (${problem}): ${message}`,
            `  last good entry: ${result.head ? `${result.head.seq} ${result.head.hash}` : 'none'}`,
            `  stored entry ${entry.seq}: at ${entry.at}, actor ${entry.actor}, ${entry.action} ${entry.entityType}:${entry.entityId}`,
            `    payload   ${truncate(entry.payload, 200)}`,
            `    prevHash  ${entry.prevHash}`,
            `    hash      ${entry.hash}`,
          ].join('\n') + '\n',
        );
      }
      return result.ok ? 0 : AUDIT_TAMPERED_EXIT;
    } finally {
      await api.close();
    }
  });
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
