import type { RepeatStats } from '../core/repeat-stats.js';
import { renderTable } from './render-table.js';

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
/** Flaky examples named per metric in the terminal (the JSON lists up to 50, the count is complete). */
const NAMED = 5;

/** The flaky examples of a metric as `id (2/3), …`. */
function flakyList(s: RepeatStats): string {
  const named = s.flakyExamples.slice(0, NAMED).map((e) => `${e.exampleId} (${e.passed}/${e.scored})`);
  return named.length === 0 ? '' : `${named.join(', ')}${s.flaky > named.length ? `, … ${s.flaky - named.length} more` : ''}`;
}

/** The repeat table of one run: per metric pass^k, pass@k and the flaky examples. */
export function renderRepeats(k: number, metrics: readonly { name: string; passRate: number | null; repeats?: RepeatStats | undefined }[]): string {
  const rows = metrics
    .filter((m) => m.repeats)
    .map((m) => {
      const s = m.repeats as RepeatStats;
      return [m.name, pct(m.passRate), pct(s.passAllRate), pct(s.passAnyRate), `${s.flaky}/${s.examples}`, flakyList(s)];
    });
  return renderTable(['metric', 'mean pass rate', `pass^${k}`, `pass@${k}`, 'flaky', 'flaky examples (passed/trials)'], rows, new Set([1, 2, 3, 4]));
}

/** Both sides of a comparison: per metric pass^k, pass@k and flaky counts of baseline and candidate. */
export function renderRepeatComparison(r: { baselineRepeat: number; candidateRepeat: number; metrics: readonly { metric: string; baseline: RepeatStats | null; candidate: RepeatStats | null }[] }): string {
  const rows = r.metrics.map((m) => [
    m.metric,
    pct(m.baseline?.passAllRate),
    pct(m.candidate?.passAllRate),
    pct(m.baseline?.passAnyRate),
    pct(m.candidate?.passAnyRate),
    m.baseline ? String(m.baseline.flaky) : '—',
    m.candidate ? String(m.candidate.flaky) : '—',
    m.candidate ? flakyList(m.candidate) : '',
  ]);
  const kb = r.baselineRepeat;
  const kc = r.candidateRepeat;
  return renderTable(
    ['metric', `baseline pass^${kb}`, `candidate pass^${kc}`, `baseline pass@${kb}`, `candidate pass@${kc}`, 'baseline flaky', 'candidate flaky', 'candidate flaky examples'],
    rows,
    new Set([1, 2, 3, 4, 5, 6]),
  );
}
