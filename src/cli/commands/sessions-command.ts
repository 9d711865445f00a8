import type { ApiCaller } from '../../api/api-caller.js';
import { getSessionTranscript, promoteSessionOperation } from '../../api/session-operations.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, projectFor, type RemoteFlags } from '../open-api-caller.js';

/**
 * `evalops sessions transcript|promote`: production sessions as conversations, on the local database
 * or, with --server, on a server.
 */

interface ProjectFlags extends RemoteFlags {
  readonly config?: string;
  readonly project?: string;
  readonly json?: boolean;
}

async function withApi<T>(flags: ProjectFlags, work: (api: ApiCaller, project: string) => Promise<T>): Promise<T> {
  const api = await openApiCaller(flags);
  try {
    return await work(api, await projectFor(api, flags));
  } finally {
    await api.close();
  }
}

/** `evalops sessions transcript SESSION_ID`: the session turn by turn, and its session scores. */
export async function sessionsTranscriptCommand(sessionId: string, flags: ProjectFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    await withApi(flags, async (api, project) => {
      const r = await api.call(getSessionTranscript, { params: { project, sessionId } });
      if (flags.json) return printJson(r);
      const out: string[] = [];
      for (const turn of r.transcript.turns) {
        out.push(`[${turn.index + 1}] user: ${turn.user}`);
        for (const call of turn.toolCalls) out.push(`    tool ${call.name}${call.error !== undefined ? ` FAILED: ${call.error}` : ''}`);
        out.push(turn.error !== undefined ? `    (error: ${turn.error})` : `    assistant: ${turn.text}`);
      }
      for (const rule of r.rules) {
        const scores = rule.scores.map((s) => `${s.metric}=${s.pass === null ? s.status : s.pass ? 'pass' : 'fail'}`).join(' ');
        out.push(`rule ${rule.rule}: ${rule.pending ? 'pending' : `scored ${rule.scorings}×`}${rule.flags.length > 0 ? ` flags: ${rule.flags.join(', ')}` : ''}${scores ? ` ${scores}` : ''}`);
      }
      process.stdout.write(`${out.join('\n')}\n`);
    });
  });
}

/** `evalops sessions promote SESSION_ID --dataset NAME`: the session's user turns as a conversation example. */
export async function sessionsPromoteCommand(sessionId: string, flags: ProjectFlags & { dataset: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    await withApi(flags, async (api, project) => {
      const r = await api.call(promoteSessionOperation, { params: { project, sessionId }, body: { dataset: flags.dataset } });
      if (flags.json) return printJson(r);
      process.stdout.write(`${r.created ? 'new version' : 'unchanged'} ${r.dataset}@${r.version}: session ${r.sessionId} as example ${r.exampleId} (${r.turns} user turns), ${r.examples} examples\n`);
    });
  });
}
