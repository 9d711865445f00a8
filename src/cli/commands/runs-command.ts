import { runWithSummary } from '../../runner/run-queries.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openCliStore } from '../open-cli-store.js';
import { parseIntFlag } from '../parse-flags.js';
import { renderScorecard } from '../render-scorecard.js';
import { renderTable } from '../render-table.js';
import { resolveProjectName } from '../resolve-project.js';
import { EvalOpsError } from '../../core/errors.js';
import { outputText } from '../../core/target-output.js';

/** `evalops runs list`. */
export async function runsListCommand(flags: { config?: string; project?: string; limit?: string; json?: boolean }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const limit = parseIntFlag(flags.limit, '--limit', 1, 10_000) ?? 20;
    const name = await resolveProjectName(flags);
    const store = await openCliStore();
    try {
      const project = await store.projects.findByName(name);
      if (!project) throw new EvalOpsError('not_found', `project "${name}" has no runs yet`);
      const runs = await store.runs.list(project.id, { limit });
      const rows = runs.map((r) => ({
        runId: r.id,
        status: r.status,
        startedAt: r.startedAt,
        target: { type: r.targetType, variant: r.targetVariant },
        repeat: r.repeat,
        labels: r.labels,
        results: r.summary?.results.total ?? null,
        passRates: r.summary ? Object.fromEntries(Object.entries(r.summary.metrics).map(([k, m]) => [k, m.passRate])) : null,
      }));
      if (flags.json) return printJson({ project: name, runs: rows });
      process.stdout.write(
        `${renderTable(
          ['run', 'status', 'started', 'target', 'results', 'labels'],
          rows.map((r) => [r.runId, r.status, r.startedAt.replace('T', ' ').slice(0, 19), `${r.target.type}:${r.target.variant}`, r.results === null ? '—' : String(r.results), Object.entries(r.labels).map(([k, v]) => `${k}=${v}`).join(' ')]),
          new Set([4]),
        )}\n`,
      );
    } finally {
      await store.close();
    }
  });
}

/** `evalops runs show ID`. */
export async function runsShowCommand(runId: string, flags: { results?: boolean; failures?: boolean; limit?: string; json?: boolean }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const limit = parseIntFlag(flags.limit, '--limit', 1, 100_000) ?? 50;
    const store = await openCliStore();
    try {
      const { summary } = await runWithSummary(store, runId);
      const wantResults = flags.results || flags.failures;
      let results = wantResults ? await store.runs.results(runId, { limit: flags.failures ? 100_000 : limit }) : [];
      if (flags.failures) {
        results = results.filter((r) => r.error !== undefined || Object.values(r.scores).some((s) => s.status === 'errored' || s.pass === false)).slice(0, limit);
      }
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
      await store.close();
    }
  });
}
