import { loadConfig } from '../../config/load-config.js';
import { buildScorecard } from '../../gate/scorecard.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openCliStore } from '../open-cli-store.js';
import { parseIntFlag } from '../parse-flags.js';
import { renderTable } from '../render-table.js';

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

/** `evalops scorecard`. */
export async function scorecardCommand(flags: { config?: string; runs?: string; json?: boolean }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const window = parseIntFlag(flags.runs, '--runs', 2, 100) ?? 5;
    const loaded = await loadConfig(flags.config);
    const store = await openCliStore();
    try {
      const card = await buildScorecard(store, loaded, window);
      if (flags.json) return printJson(card);
      const rows = card.metrics.map((m) => [
        m.name,
        m.owner ?? '⚠ unowned',
        m.failureClass ?? '—',
        m.lifecycle,
        pct(m.current?.passRate),
        m.trend.map((t) => pct(t.passRate)).reverse().join(' → ') || '—',
        m.gates.map((g) => g.action).join(', ') || '—',
      ]);
      process.stdout.write(`scorecard of ${card.project} (last ${card.runs} completed runs, oldest → newest)\n\n`);
      process.stdout.write(`${renderTable(['metric', 'owner', 'failure class', 'lifecycle', 'current', 'trend', 'blocks / gates'], rows)}\n`);
      for (const w of card.warnings) process.stdout.write(`\nwarning: ${w}`);
      if (card.warnings.length) process.stdout.write('\n');
    } finally {
      await store.close();
    }
  });
}

/** `evalops metrics lifecycle`: recommended lifecycle transitions from each metric's history. */
export async function metricsLifecycleCommand(flags: { config?: string; runs?: string; json?: boolean }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const window = parseIntFlag(flags.runs, '--runs', 2, 100) ?? 5;
    const loaded = await loadConfig(flags.config);
    const store = await openCliStore();
    try {
      const card = await buildScorecard(store, loaded, window);
      const recommendations = card.metrics.flatMap((m) => (m.recommendation ? [m.recommendation] : []));
      if (flags.json) return printJson({ project: card.project, runs: card.runs, recommendations });
      if (recommendations.length === 0) return void process.stdout.write(`no lifecycle changes recommended (last ${card.runs} runs)\n`);
      for (const r of recommendations) process.stdout.write(`${r.metric}: ${r.current} → ${r.recommended} — ${r.reason}\n`);
      process.stdout.write('\nchange `lifecycle:` of the metric in the config to apply; retired metrics stop gating and keep their history.\n');
    } finally {
      await store.close();
    }
  });
}
