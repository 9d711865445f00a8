import { getRun, listRunResults, listRuns } from '../../api/run-operations.js';
import { outputText } from '../../core/target-output.js';
import { assertInProject } from '../common-flags.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, projectFor, type RemoteFlags } from '../open-api-caller.js';
import { parseIntFlag } from '../parse-flags.js';
import { renderScorecard } from '../render-scorecard.js';
import { renderTable } from '../render-table.js';

/** `evalops runs list|show`, on the local database or, with --server, on a server. */

/** `evalops runs list`. */
export async function runsListCommand(flags: RemoteFlags & { config?: string; project?: string; limit?: string; json?: boolean }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const limit = parseIntFlag(flags.limit, '--limit', 1, 10_000) ?? 20;
    const api = await openApiCaller(flags);
    try {
      const project = await projectFor(api, flags);
      const list = await api.call(listRuns, { params: { project }, query: { limit } });
      if (flags.json) return printJson(list);
      if (list.runs.length === 0) return void process.stdout.write(`no runs in project "${project}" yet\n`);
      process.stdout.write(
        `${renderTable(
          ['run', 'status', 'started', 'target', 'results', 'labels'],
          list.runs.map((r) => [r.runId, r.status, r.startedAt.replace('T', ' ').slice(0, 19), `${r.target.type}:${r.target.variant}`, r.results === null ? '—' : String(r.results), Object.entries(r.labels).map(([k, v]) => `${k}=${v}`).join(' ')]),
          new Set([4]),
        )}\n`,
      );
    } finally {
      await api.close();
    }
  });
}

/** `evalops runs show ID`. */
export async function runsShowCommand(runId: string, flags: RemoteFlags & { config?: string; project?: string; results?: boolean; failures?: boolean; limit?: string; json?: boolean }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const limit = parseIntFlag(flags.limit, '--limit', 1, 10_000) ?? 50;
    const api = await openApiCaller(flags);
    try {
      const summary = await api.call(getRun, { params: { runId } });
      await assertInProject(flags, summary.project, `run ${runId}`);
      const wantResults = flags.results || flags.failures;
      const results = wantResults ? (await api.call(listRunResults, { params: { runId }, query: { limit, ...(flags.failures ? { failures: 'true' } : {}) } })).items : [];
      if (flags.json) return printJson(wantResults ? { ...summary, items: results } : summary);
      process.stdout.write(`${renderScorecard(summary)}\n`);
      for (const r of results) {
        const verdicts = Object.entries(r.scores)
          .map(([m, s]) => `${m}=${s.status === 'scored' ? (s.pass ? 'pass' : 'FAIL') : s.status}${s.reason && s.pass !== true ? ` (${s.reason})` : ''}`)
          .join('  ');
        const out = r.error !== undefined ? `ERROR ${r.error}` : outputText(r.output).slice(0, 160);
        process.stdout.write(`\n${r.exampleId}#${r.trial}  ${out}\n  ${verdicts}\n`);
      }
    } finally {
      await api.close();
    }
  });
}
