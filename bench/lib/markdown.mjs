/** Markdown rendering of benchmark reports (what run-all prints and writes to bench/.work/latest.md). */

/** @example table(['a', 'b'], [[1, 2]]) // "| a | b |\n|---|---|\n| 1 | 2 |" */
export function table(headers, rows) {
  const line = (cells) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(headers), `|${headers.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/**
 * One bench report as Markdown: title, budget, method bullets, tables, verdicts and notes.
 * A report is `{ title, budget, method: string[], tables: [{ title?, headers, rows }], verdicts:
 * [{ name, pass, detail }], notes: string[] }`.
 */
export function renderReport(report) {
  const parts = [`## ${report.title}`, '', `Budget: ${report.budget}`, '', 'Method:', ...report.method.map((m) => `- ${m}`), ''];
  for (const t of report.tables) {
    if (t.title) parts.push(`${t.title}`, '');
    parts.push(table(t.headers, t.rows), '');
  }
  parts.push(table(['verdict', 'result', 'detail'], report.verdicts.map((v) => [v.name, v.pass ? '**PASS**' : '**FAIL**', v.detail])), '');
  if (report.notes.length > 0) parts.push('Notes:', ...report.notes.map((n) => `- ${n}`), '');
  return parts.join('\n');
}
