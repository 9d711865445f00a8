import type { TriageReport } from './triage-report.js';

/**
 * The triage report as Markdown: for a pull request, an incident channel or the file a triage agent
 * writes. Item texts are quoted on one line and clipped, so a report stays readable.
 */
export function renderTriageMarkdown(report: TriageReport): string {
  const out: string[] = [`# Triage: ${title(report)}`, ''];
  const m = report.whatMoved;
  if (m) {
    out.push('## What moved', '', `${m.summary}`, '');
    out.push(`- metric **${m.metric}** (monitor ${m.monitor})${m.release ? `, release ${m.release}` : ''}${m.live ? ` vs live ${m.live}` : ''}`);
    out.push(`- baseline ${pct(m.baseline)} → current ${pct(m.current)}${m.delta === null ? '' : ` (Δ ${(m.delta * 100).toFixed(1)} points)`}${m.pValue === null ? '' : `, p ${m.pValue.toPrecision(2)}`}`);
    out.push(`- since ${m.since}, detected ${m.detectedAt}${m.owner ? `, owner ${m.owner}` : ''}`, '');
  }
  out.push('## Clusters', '', `${report.items} failing item(s)${report.total > report.items ? ` of ${report.total}` : ''} in ${report.clusters.length} cluster(s), ${methodLine(report.method)}.`, '');
  if (report.clusters.length > 0) {
    out.push('| id | name | size | share | failing metrics | concentrates in | owners | first seen |', '|---|---|---:|---:|---|---|---|---|');
    for (const c of report.clusters) {
      const where = [...c.slices.filter((s) => s.enrichment > 1).slice(0, 2).map((s) => `${s.slice} ×${s.enrichment.toFixed(1)}`), ...c.releases.filter((r) => r.enrichment > 1).slice(0, 2).map((r) => `release ${r.release} ×${r.enrichment.toFixed(1)}`)];
      out.push(`| ${c.id} | ${cell(c.name)} | ${c.size} | ${(c.share * 100).toFixed(0)}% | ${cell(c.failingMetrics.slice(0, 3).map((x) => `${x.metric} (${x.count})`).join(', '))} | ${cell(where.join(', ') || '—')} | ${cell(c.owners.join(', ') || '—')} | ${c.firstSeen ?? '—'} |`);
    }
    out.push('');
    for (const c of report.clusters) {
      out.push(`### ${c.id}: ${c.name}`, '', `Slice \`${c.slice}\`. Representative items:`, '');
      for (const r of c.representatives) out.push(`- \`${r.traceId ?? r.exampleId ?? r.key}\` — ${cell(oneLine(r.input, 100))} → ${cell(oneLine(r.output, 100))} — *${cell(oneLine(r.reason, 140))}*`);
      out.push('');
    }
  }
  if (report.rerun) out.push(...rerunSection(report.rerun));
  out.push('## Commands', '', '| status | command | outcome |', '|---|---|---|');
  for (const c of report.commands) out.push(`| ${c.status === 'ran' ? 'ran' : 'to run'} | \`${c.command.replace(/\|/g, '\\|')}\` | ${cell(`${c.purpose}: ${c.outcome}`)} |`);
  out.push('', '## Suggested actions', '');
  if (report.suggestedActions.length === 0) out.push('None: no failing item.');
  for (const a of report.suggestedActions) out.push(`- **${a.action.replace('_', ' ')}**${a.cluster ? ` ${a.cluster}` : ''}: ${a.why}${a.command ? `\n  \`${a.command}\`` : ''}`);
  out.push('');
  return out.join('\n');
}

function title(report: TriageReport): string {
  const s = report.source;
  switch (s.kind) {
    case 'run':
      return `run ${s.runId}`;
    case 'compare':
      return `regressions of ${s.candidateRunId} against ${s.baselineRunId}`;
    case 'alert':
      return `alert ${s.alertId}`;
    case 'traces':
      return `traces of ${report.project}`;
  }
}

function methodLine(m: TriageReport['method']): string {
  if (m.kind === 'tfidf') return 'clustered offline (TF-IDF)';
  const cost = m.costUsd === null ? '' : `, $${m.costUsd.toFixed(6)}`;
  return `clustered on embeddings of ${m.model} (${m.embedded} embedded in ${m.calls} call(s), ${m.cached} from the cache${m.tokens === null ? '' : `, ${m.tokens} tokens`}${cost})`;
}

function rerunSection(r: NonNullable<TriageReport['rerun']>): string[] {
  const out = ['## Targeted rerun', '', `The ${r.items} item(s) of ${r.cluster} (dataset ${r.dataset}@${r.version.slice(0, 12)}), rerun with the config's metrics:`, '', '| against | run | results | errors | pass rates |', '|---|---|---:|---:|---|'];
  for (const run of r.runs) {
    const rates = Object.entries(run.passRates).map(([m, p]) => `${m} ${pct(p)}`).join(', ');
    out.push(`| ${run.release === null ? 'the configured target' : `release ${run.release}`} | ${run.runId ?? `failed: ${cell(run.why ?? '')}`} | ${run.examples} | ${run.errors} | ${cell(rates || '—')} |`);
  }
  out.push('');
  if (r.comparison === null) out.push(`No comparison: ${r.compareWhy ?? 'nothing to compare'}.`, '');
  else {
    out.push('| metric | live | canary | Δ | 95% CI | p | verdict |', '|---|---:|---:|---:|---|---:|---|');
    for (const c of r.comparison) out.push(`| ${c.metric} | ${pct(c.live)} | ${pct(c.canary)} | ${c.delta === null ? '—' : `${(c.delta * 100).toFixed(1)} pts`} | ${c.ci95 ? `${(c.ci95[0] * 100).toFixed(1)} to ${(c.ci95[1] * 100).toFixed(1)}` : '—'} | ${c.pValue === null ? '—' : c.pValue.toPrecision(2)} | ${c.verdict} |`);
    out.push('');
  }
  return out;
}

function pct(x: number | null): string {
  return x === null ? '—' : `${(x * 100).toFixed(1)}%`;
}

function oneLine(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
