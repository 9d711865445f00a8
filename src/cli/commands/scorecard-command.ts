import { getScorecard, listLifecycleRecommendations } from '../../api/scorecard-operations.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, projectFor, type RemoteFlags } from '../open-api-caller.js';
import { parseIntFlag } from '../parse-flags.js';
import { renderTable } from '../render-table.js';

/**
 * `evalops scorecard` and `evalops metrics lifecycle`, on the local database or, with --server, on a
 * server. Both read what is stored (the newest run's metric definitions, the newest decision's
 * rules: see buildStoredScorecard); the config, when given, only names the project.
 */

interface ScorecardFlags extends RemoteFlags {
  config?: string;
  project?: string;
  runs?: string;
  json?: boolean;
}

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

/** `evalops scorecard`. */
export async function scorecardCommand(flags: ScorecardFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const runs = parseIntFlag(flags.runs, '--runs', 2, 100) ?? 5;
    const api = await openApiCaller(flags);
    try {
      const card = await api.call(getScorecard, { params: { project: await projectFor(api, flags) }, query: { runs } });
      if (flags.json) return printJson(card);
      const rows = card.metrics.map((m) => [
        m.name,
        m.owner ?? '⚠ unowned',
        m.failureClass ?? '—',
        m.calibration ? `${m.lifecycle} (${m.calibration} judge)` : m.lifecycle,
        pct(m.current?.passRate),
        m.trend.map((t) => pct(t.passRate)).reverse().join(' → ') || '—',
        m.gates.map((g) => g.action).join(', ') || '—',
      ]);
      process.stdout.write(`scorecard of ${card.project} (last ${card.runs} completed runs, oldest → newest)\n\n`);
      process.stdout.write(`${renderTable(['metric', 'owner', 'failure class', 'lifecycle', 'current', 'trend', 'blocks / gates'], rows)}\n`);
      const r = card.review;
      if (r && (r.labels > 0 || r.routedResults > 0 || r.traceItems > 0)) {
        process.stdout.write(`\nhuman review: ${r.routedShare === null ? 'no run results routed' : `${pct(r.routedShare)} of results routed to reviewers`}, ${r.labels} label(s)${r.minutesPerLabel === null ? '' : `, ${r.minutesPerLabel.toFixed(1)} min per label`}\n`);
      }
      for (const w of card.warnings) process.stdout.write(`\nwarning: ${w}`);
      if (card.warnings.length) process.stdout.write('\n');
    } finally {
      await api.close();
    }
  });
}

/** `evalops metrics lifecycle`: recommended lifecycle transitions from each metric's history. */
export async function metricsLifecycleCommand(flags: ScorecardFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const runs = parseIntFlag(flags.runs, '--runs', 2, 100) ?? 5;
    const api = await openApiCaller(flags);
    try {
      const doc = await api.call(listLifecycleRecommendations, { params: { project: await projectFor(api, flags) }, query: { runs } });
      if (flags.json) return printJson(doc);
      if (doc.recommendations.length === 0) return void process.stdout.write(`no lifecycle changes recommended (last ${doc.runs} runs)\n`);
      for (const r of doc.recommendations) process.stdout.write(`${r.metric}: ${r.current} → ${r.recommended} — ${r.reason}\n`);
      process.stdout.write('\nchange `lifecycle:` of the metric in the config to apply; retired metrics stop gating and keep their history.\n');
    } finally {
      await api.close();
    }
  });
}
