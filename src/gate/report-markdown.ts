import type { MetricComparison } from '../core/comparison.js';
import type { Finding, GateDecisionDocument } from '../core/gate/gate-decision.js';
import { renderVisibilityMarkdown } from './report-visibility.js';
import type { SubsetDecision } from '../core/gate/pr-subset.js';
import { subsetText } from '../core/subset/subset-text.js';
import { errorLines } from './render-errors.js';
import { isJudgeScorerType } from '../core/judge-scorer-types.js';
import { coverageLine, type CoverageMeasure } from '../core/coverage/coverage-measure.js';

const ICON = { approve: '✅', narrow: '🟡', require_approval: '🟠', block: '⛔' } as const;
const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
const pts = (x: number | null): string => (x === null ? '—' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`);
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const clip = (v: unknown, n = 160): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
  return s.length > n ? `${s.slice(0, n)}…` : s;
};

/**
 * The gate decision as a pull-request comment: the decision first, then what failed and who owns it,
 * the per-metric table, regressions by slice, and the worst examples with their outputs.
 */
export function renderDecisionMarkdown(d: GateDecisionDocument): string {
  const out: string[] = [];
  out.push(`## ${ICON[d.outcome]} EvalOps gate: **${d.outcome.replace('_', ' ')}**${d.outcome === 'narrow' ? ` to ${d.rolloutPercent}%` : ''}`);
  out.push('', d.summary, '');
  out.push(`Candidate \`${d.candidate.runId}\` (variant \`${d.candidate.variant}\`, dataset ${d.candidate.dataset.name}@${d.candidate.dataset.version}) vs baseline ${d.baseline.runId ? `\`${d.baseline.runId}\` (${d.baseline.chosenBy})` : '— none'} · decision \`${d.decisionId}\``);
  if (d.subset) out.push(...subsetBlock(d.subset));
  out.push(...coverageBlock(d.coverage ?? []));
  if (d.owners.length) out.push('', `**Needs attention from:** ${d.owners.join(', ')}`);
  for (const w of d.warnings) out.push('', `> ⚠️ ${w}`);

  const acting = d.findings.filter((f) => f.action !== null);
  if (acting.length) {
    out.push('', '### Failed rules', '', '| rule | metric | slice | action | finding | owner |', '|---|---|---|---|---|---|');
    for (const f of acting) out.push(`| ${cell(f.ruleText)} | ${f.metric} | ${f.slice ?? 'all'} | ${f.action}${f.action !== f.ruleAction ? ` (rule: ${f.ruleAction})` : ''} | ${cell(f.message)} | ${f.owner ?? '⚠️ none'} |`);
  }

  out.push('', '### Metrics', '', '| metric | owner | failure class | candidate | baseline | Δ (pts) | 95% CI of Δ | verdict |', '|---|---|---|---|---|---|---|---|');
  const overall = new Map(d.comparisons.filter((c) => c.slice === null).map((c) => [c.metric, c]));
  for (const [name, m] of Object.entries(d.metrics)) {
    const c = overall.get(name);
    const judge = isJudgeScorerType(m.scorerType) && !m.calibrated ? ' (uncalibrated judge)' : '';
    out.push(`| ${name}${judge} | ${m.owner ?? '⚠️ none'} | ${m.failureClass ?? '—'} | ${pct(m.passRate)} (n=${m.n}) | ${pct(c?.baseline)} | ${c ? pts(c.delta) : '—'} | ${c?.ci95 ? `${pts(c.ci95[0])} … ${pts(c.ci95[1])}` : '—'} | ${c?.verdict ?? '—'} |`);
  }

  const errors = decisionErrorLines(d);
  if (errors.length) {
    out.push('', '### Errors and missing results', '', 'Missing results never help a candidate: every errored or missing result counts as a fail of each metric on its side.', '');
    for (const line of errors) out.push(`- ${cell(line)}`);
  }

  const regressions = d.comparisons.filter((c) => c.slice !== null && c.verdict === 'regressed');
  if (regressions.length) {
    out.push('', '### Regressions by slice', '', '| metric | slice | n | baseline | candidate | Δ (pts) | 95% CI | adjusted p |', '|---|---|---|---|---|---|---|---|');
    for (const c of regressions) out.push(sliceRow(c));
  }

  out.push(...renderVisibilityMarkdown(d.visibility));

  const withExamples = acting.filter((f) => f.evidence.examples?.length);
  if (withExamples.length) {
    out.push('', '### Worst examples');
    for (const f of withExamples) out.push('', ...examplesBlock(f));
  }
  out.push('', `<sub>${d.visibility?.correction === 'graphical' ? 'Graphically corrected (primary metrics first)' : 'Holm-corrected'} paired comparisons; binary metrics: exact McNemar test with Newcombe's interval; others: paired bootstrap. Override: \`evalops gate override ${d.decisionId} --reason … --evidence URL\`</sub>`);
  return `${out.join('\n')}\n`;
}

/** The decision's error lines (none for decisions recorded before errors were reported). */
export function decisionErrorLines(d: GateDecisionDocument): string[] {
  if (!d.errors) return [];
  const errored = Object.fromEntries(Object.entries(d.metrics).map(([name, m]) => [name, m.errored ?? 0]));
  return errorLines(d.errors, d.comparisons, errored);
}

function sliceRow(c: MetricComparison): string {
  return `| ${c.metric} | ${c.slice} | ${c.n} | ${pct(c.baseline)} | ${pct(c.candidate)} | ${pts(c.delta)} | ${c.ci95 ? `${pts(c.ci95[0])} … ${pts(c.ci95[1])}` : '—'} | ${c.pAdjusted === null ? '—' : c.pAdjusted < 0.001 ? '<0.001' : c.pAdjusted.toFixed(3)} |`;
}

function examplesBlock(f: Finding): string[] {
  const lines = [`<details><summary>${f.metric}${f.slice ? ` · ${f.slice}` : ''}: ${f.evidence.examples?.length} example(s)</summary>`, ''];
  for (const e of f.evidence.examples ?? []) {
    lines.push(`- **${e.exampleId}** ${e.slices.map((s) => `\`${s}\``).join(' ')}`);
    lines.push(`  - input: \`${cell(clip(e.input))}\``);
    if (e.baselineOutput !== undefined) lines.push(`  - baseline: \`${cell(clip(e.baselineOutput))}\``);
    lines.push(`  - candidate: \`${cell(clip(e.candidateOutput))}\``);
    if (e.reason) lines.push(`  - why: ${cell(e.reason)}`);
  }
  lines.push('', '</details>');
  return lines;
}

/** "dataset covers X% of the last 7 days' traffic", per measured window with sliced traffic. */
function coverageBlock(measures: readonly CoverageMeasure[]): string[] {
  const out: string[] = [];
  for (const m of measures) {
    const line = coverageLine(m);
    if (line === null) continue;
    const top = m.uncovered.slice(0, 3).map((u) => `\`${u.slice}\` ${pct(u.share)}`);
    out.push('', `**Coverage of production:** ${line}.${top.length ? ` Most uncovered: ${top.join(', ')} (\`evalops datasets coverage\`).` : ''}`);
  }
  return out;
}

/** The PR subset the candidate ran on, each rule's MDE there, and who decides on main. */
function subsetBlock(s: SubsetDecision): string[] {
  const out = ['', `**PR gate on a subset.** ${subsetText(s)}. Blocks only on effects this subset can detect; **the full suite decides on main**.`];
  if (s.rules.length) {
    out.push('', '| rule | metric | n | MDE at 80% power | |', '|---|---|---|---|---|');
    for (const r of s.rules) out.push(`| ${cell(r.ruleText)} | ${r.metric} | ${r.n} | ${r.mde === null ? '> 100 pts' : `${(r.mde * 100).toFixed(1)} pts`} | ${r.detectable ? 'detectable' : 'not detectable on the PR subset'} |`);
  }
  return out;
}
