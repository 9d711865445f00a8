import type { GateVisibility, VisibilityRow } from '../core/plan/gate-visibility.js';

/** Rows shown in a report before the rest are summed up (the JSON document has them all). */
const MAX_ROWS = 40;

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const cell = (s: string): string => s.replace(/\|/g, '\\|');

/**
 * "What this gate can see" as Markdown (the gate's terminal output and its PR comment): per
 * noRegression rule and slice, n, the baseline pass rate, the discordance used, the MDE at 80% power
 * and whether the rule can fire. Rules that cannot fire come first.
 */
export function renderVisibilityMarkdown(v: GateVisibility | undefined): string[] {
  if (!v || v.rows.length === 0) return [];
  const rows = [...v.rows].sort((a, b) => Number(a.canFire) - Number(b.canFire));
  const out = ['', '### What this gate can see', '', `Smallest drop each noRegression test catches ${pct(v.power)} of the time (MDE), under the gate's ${v.correction === 'graphical' ? 'graphical (primary metrics first)' : 'weighted Holm'} correction.`, ''];
  out.push(`| rule | metric | slice | n | baseline | discordance (ρ) | MDE at ${pct(v.power)} power |${v.drop !== null ? ` n for a ${(v.drop * 100).toFixed(1)}-pt drop |` : ''} can fire |`);
  out.push(`|---|---|---|---|---|---|---|${v.drop !== null ? '---|' : ''}---|`);
  for (const r of rows.slice(0, MAX_ROWS)) out.push(visibilityRow(r, v.drop !== null));
  if (rows.length > MAX_ROWS) out.push('', `… and ${rows.length - MAX_ROWS} more rows (all in the JSON decision document).`);
  if (v.assumptions.length) out.push('', `Assumed: ${v.assumptions.join('; ')}.`);
  return out;
}

function visibilityRow(r: VisibilityRow, withNeeded: boolean): string {
  const mde = r.mde === null ? '> 100 pts' : `${(r.mde * 100).toFixed(1)} pts`;
  const disc = `${pct(r.discordance)} (ρ ${r.rho.toFixed(2)}, ${r.discordanceSource})`;
  const needed = withNeeded ? ` ${r.examplesNeeded === null || r.examplesNeeded === undefined ? '—' : r.examplesNeeded} |` : '';
  return `| ${cell(r.ruleText)} | ${r.metric} | ${r.slice ?? 'all'} | ${r.n} | ${pct(r.baseRate)}${r.baseRateSource === 'assumed' ? ' (assumed)' : ''} | ${disc} | ${mde} |${needed} ${r.canFire ? 'yes' : `⚠️ no: ${cell(r.reason ?? '')}`} |`;
}
