import { describe, expect, it } from 'vitest';
import { markdownToTerminal } from './render-markdown-terminal.js';
import { colorWanted, colors, visibleText } from './terminal-colors.js';

describe('markdownToTerminal', () => {
  const md = ['## ⛔ EvalOps gate: **block**', '', '| metric | verdict |', '|---|---|', '| a\\|b | regressed |', '| longer name | unchanged |', '', '<sub>note `x`</sub>', ''].join('\n');

  it('aligns tables and drops Markdown marks when colour is off', () => {
    expect(markdownToTerminal(md, colors(false))).toBe(['⛔ EvalOps gate: block', '', 'metric       verdict', '───────────  ─────────', 'a|b          regressed', 'longer name  unchanged', '', 'note x', ''].join('\n'));
  });

  it('colours outcomes and verdicts, and aligns by the visible text', () => {
    const out = markdownToTerminal(md, colors(true));
    expect(out).toContain('\u001b[31mregressed\u001b[39m');
    expect(out).toContain('\u001b[31mblock\u001b[39m');
    expect(visibleText(out)).toBe(markdownToTerminal(md, colors(false)));
  });
});

describe('colorWanted', () => {
  it('follows FORCE_COLOR, then NO_COLOR, then whether the stream is a terminal', () => {
    expect(colorWanted({ isTTY: true }, {})).toBe(true);
    expect(colorWanted({ isTTY: false }, {})).toBe(false);
    expect(colorWanted({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorWanted({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorWanted({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(true);
    expect(colorWanted({ isTTY: true }, { FORCE_COLOR: '0', NO_COLOR: '1' })).toBe(false);
  });
});
