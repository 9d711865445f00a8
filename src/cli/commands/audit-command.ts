import { EvalOpsError } from '../../core/errors.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openCliStore } from '../open-cli-store.js';
import { parseIntFlag } from '../parse-flags.js';
import { renderTable } from '../render-table.js';
import { resolveProjectName } from '../resolve-project.js';

/**
 * `evalops audit list|verify`: the project's hash-chained audit log. `verify` exits 1 when the chain
 * is broken (an entry edited, deleted or reordered), like a blocked gate: the check ran and failed.
 * Usage mistakes exit 2 and an unreachable database 4, as everywhere.
 */

interface AuditFlags {
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
    const name = await resolveProjectName(flags);
    const store = await openCliStore();
    try {
      const project = await store.projects.findByName(name);
      const entries = project ? await store.audit.list(project.id, { limit, ...(after === undefined ? {} : { after }) }) : [];
      if (flags.json) return printJson({ project: name, entries });
      if (entries.length === 0) return void process.stdout.write(`no audit entries in project "${name}"\n`);
      process.stdout.write(
        `${renderTable(
          ['seq', 'at', 'actor', 'action', 'entity', 'payload'],
          entries.map((e) => [String(e.seq), e.at.replace('T', ' ').slice(0, 19), e.actor, e.action, `${e.entityType}:${e.entityId}`, truncate(JSON.stringify(e.payload), 80)]),
          new Set([0]),
        )}\n`,
      );
    } finally {
      await store.close();
    }
  });
}

/** `evalops audit verify`: exit 0 when the chain is intact, 1 with the first bad entry when not. */
export async function auditVerifyCommand(flags: AuditFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const name = await resolveProjectName(flags);
    const store = await openCliStore();
    try {
      const project = await store.projects.findByName(name);
      if (!project) throw new EvalOpsError('not_found', `project "${name}" does not exist`);
      const result = await store.audit.verify(project.id);
      if (flags.json) {
        printJson({ project: name, ok: result.ok, entries: result.entries, head: result.head, firstBad: result.firstBad ?? null });
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
      await store.close();
    }
  });
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
