import { visibleText, type Colors } from './terminal-colors.js';

/**
 * A Markdown report (a gate decision, written as a PR comment) for a terminal: tables aligned in
 * columns, headings in bold, verdicts and outcomes coloured (when `c` has colour), HTML tags and
 * Markdown marks removed. `--markdown FILE` still writes the Markdown itself.
 */
export function markdownToTerminal(markdown: string, c: Colors): string {
  const lines = markdown.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] ?? '').startsWith('|')) {
      const table: string[] = [];
      while (i < lines.length && (lines[i] ?? '').startsWith('|')) table.push(lines[i++] ?? '');
      i--;
      out.push(...renderTable(table, c));
      continue;
    }
    out.push(renderLine(lines[i] ?? '', c));
  }
  return `${out.filter((l, i, all) => !(l === '' && all[i - 1] === '')).join('\n')}\n`;
}

function renderLine(line: string, c: Colors): string {
  const heading = /^(#{1,6})\s+(.*)$/.exec(line);
  if (heading) return c.bold(inline(outcomeColor(heading[2] ?? '', c), c));
  if (line.startsWith('> ')) return c.yellow(inline(line.slice(2), c));
  if (/^<\/?details>$/.test(line.trim())) return '';
  return inline(line, c);
}

function inline(s: string, c: Colors): string {
  return s
    .replace(/<summary>(.*?)<\/summary>/g, (_, x: string) => c.bold(x))
    .replace(/<details>|<\/details>/g, '')
    .replace(/<sub>(.*?)<\/sub>/g, (_, x: string) => c.dim(x))
    .replace(/\*\*(.+?)\*\*/g, (_, x: string) => c.bold(x))
    .replace(/`([^`]*)`/g, (_, x: string) => c.cyan(x));
}

const OUTCOME_WORDS: ReadonlyArray<readonly [RegExp, keyof Pick<Colors, 'red' | 'green' | 'yellow'>]> = [
  [/\b(block|regressed|FAIL)\b/g, 'red'],
  [/\b(approve|improved)\b/g, 'green'],
  [/\b(require approval|require_approval|narrow)\b/g, 'yellow'],
];

function outcomeColor(s: string, c: Colors): string {
  if (!c.enabled) return s;
  let out = s;
  for (const [re, color] of OUTCOME_WORDS) out = out.replace(re, (w) => c[color](w));
  return out;
}

function cells(row: string): string[] {
  return row
    .replace(/^\|/, '')
    .replace(/\|\s*$/, '')
    .split(/(?<!\\)\|/)
    .map((x) => x.trim().replace(/\\\|/g, '|'));
}

function renderTable(rows: readonly string[], c: Colors): string[] {
  const parsed = rows.filter((r) => !/^\|(\s*:?-+:?\s*\|)+\s*$/.test(r)).map((r) => cells(r).map((x) => inline(outcomeColor(x, c), c)));
  const widths: number[] = [];
  for (const r of parsed) r.forEach((x, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleText(x).length)));
  const line = (r: readonly string[]): string => r.map((x, i) => x + ' '.repeat((widths[i] ?? 0) - visibleText(x).length)).join('  ').trimEnd();
  const [header, ...body] = parsed;
  if (header === undefined) return [];
  return [c.bold(line(header)), c.dim(widths.map((w) => '─'.repeat(w)).join('  ')), ...body.map(line)];
}
