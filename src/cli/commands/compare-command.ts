import { compareRunsOperation } from '../../api/compare-operations.js';
import { errorLines } from '../../gate/render-errors.js';
import { getRun } from '../../api/run-operations.js';
import { assertInProject } from '../common-flags.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, type RemoteFlags } from '../open-api-caller.js';
import { renderRepeatComparison } from '../render-repeats.js';
import { renderTable } from '../render-table.js';

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const pts = (x: number | null): string => (x === null ? '—' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`);

/** `evalops compare BASELINE CANDIDATE`, on the local database or, with --server, on a server. */
export async function compareCommand(baseline: string, candidate: string, flags: RemoteFlags & { config?: string; project?: string; commonExamples?: boolean; slices?: boolean; json?: boolean }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const api = await openApiCaller(flags);
    try {
      // Both runs are of one project (the operation refuses a pair across projects): check the baseline.
      if (flags.project !== undefined || flags.config !== undefined) await assertInProject(flags, (await api.call(getRun, { params: { runId: baseline } })).project, `run ${baseline}`);
      const c = await api.call(compareRunsOperation, { params: { baselineRunId: baseline, candidateRunId: candidate }, query: flags.commonExamples ? { commonExamples: 'true' } : {} });
      for (const w of c.warnings) process.stderr.write(`warning: ${w}\n`);
      if (flags.json) return printJson(c);
      const rows = c.comparisons
        .filter((m) => m.slice === null || flags.slices || m.verdict !== 'unchanged')
        .map((m) => [m.metric, m.slice ?? 'all', String(m.n), pct(m.baseline), pct(m.candidate), pts(m.delta), m.ci95 ? `${pts(m.ci95[0])} … ${pts(m.ci95[1])}` : '—', m.pAdjusted === null ? '—' : m.pAdjusted < 0.001 ? '<0.001' : m.pAdjusted.toFixed(3), m.noiseFloor === null ? '' : pts(m.noiseFloor), m.verdict]);
      process.stdout.write(`${baseline} → ${candidate}: ${c.pairing.paired} paired examples (${c.pairing.baselineOnly.length} baseline-only, ${c.pairing.candidateOnly.length} candidate-only)\n\n`);
      process.stdout.write(`${renderTable(['metric', 'slice', 'n', 'baseline', 'candidate', 'Δ pts', '95% CI of Δ', 'adj. p', 'noise', 'verdict'], rows, new Set([2, 3, 4, 5, 7]))}\n`);
      const errors = errorLines({ baseline: c.errors.baseline, candidate: c.errors.candidate, comparison: c.errors }, c.comparisons);
      if (errors.length) process.stdout.write(`\nerrors (missing results count as fails on their side):\n${errors.map((l) => `  ${l}\n`).join('')}`);
      process.stdout.write(`\nslices shown: overall, and every slice whose verdict is not "unchanged" (--slices for all). p-values Holm-adjusted across all ${c.comparisons.length} comparisons.\n`);
      if (c.repeats) process.stdout.write(`\nrepeats (pass^k: every trial passed; pass@k: at least one did; flaky: trials disagree)\n${renderRepeatComparison(c.repeats)}\n`);
    } finally {
      await api.close();
    }
  });
}
