import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../core/errors.js';
import { encodePageCursor } from './page-cursor.js';
import { parseSessionListQuery, parseTraceListQuery } from './trace-query.js';

const asParam = (p: string): string => `query parameter ${p}`;
const failure = (run: () => unknown): EvalOpsError => {
  try {
    run();
  } catch (e) {
    if (e instanceof EvalOpsError) return e;
    throw e;
  }
  throw new Error('expected an EvalOpsError');
};

describe('parseTraceListQuery', () => {
  it('gives defaults when the query is empty: newest first, the default limit', () => {
    expect(parseTraceListQuery({}, 'input', asParam)).toEqual({ order: 'desc', limit: 50 });
    expect(parseTraceListQuery({}, 'usage', asParam, 20).limit).toBe(20);
  });

  it('turns every parameter into the filter', () => {
    const after = { timeMs: 1_750_000_000_123.5, id: 'abc' };
    expect(
      parseTraceListQuery(
        { since: '2025-01-01T00:00:00Z', until: '1750000000000', release: 'r1', kind: 'llm', session: 's', user: 'u', errors: 'true', attr: ['a.b=1', 'c=x=y'], hasFeedback: 'none', minScore: '0.5', maxScore: '1', scoreName: 'thumbs', order: 'asc', cursor: encodePageCursor(after), limit: '7' },
        'input',
        asParam,
      ),
    ).toEqual({
      sinceMs: Date.UTC(2025, 0, 1),
      untilMs: 1_750_000_000_000,
      release: 'r1',
      kind: 'LLM',
      sessionId: 's',
      userId: 'u',
      errorsOnly: true,
      attributes: [
        { key: 'a.b', value: '1' },
        { key: 'c', value: 'x=y' },
      ],
      hasFeedback: 'none',
      score: { min: 0.5, max: 1, name: 'thumbs' },
      order: 'asc',
      after,
      limit: 7,
    });
  });

  it('takes one attr as a single string, and an empty value', () => {
    expect(parseTraceListQuery({ attr: 'k=' }, 'input', asParam).attributes).toEqual([{ key: 'k', value: '' }]);
  });

  it('names the parameter, or the CLI flag, in a usage error', () => {
    const http = failure(() => parseTraceListQuery({ hasFeedback: 'maybe' }, 'input', asParam));
    expect(http.code).toBe('input');
    expect(http.message).toMatch(/^query parameter hasFeedback: /);
    const cli = failure(() => parseTraceListQuery({ minScore: 'x' }, 'usage', (p) => `--${p.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`));
    expect(cli.code).toBe('usage');
    expect(cli.message).toBe('--min-score: must be a number');
    expect(failure(() => parseTraceListQuery({ bogus: '1' }, 'input', asParam)).message).toBe('query parameter bogus: is not a known parameter');
    expect(failure(() => parseTraceListQuery({ attr: ['ok=1', 'bad key=1'] }, 'input', asParam)).message).toMatch(/^query parameter attr: must be key=value/);
    expect(failure(() => parseTraceListQuery({ limit: '1001' }, 'input', asParam)).message).toMatch(/^query parameter limit: /);
    expect(failure(() => parseTraceListQuery({ cursor: 'eyJ4IjoxfQ' }, 'input', asParam)).message).toMatch(/^query parameter cursor: not a cursor/);
  });
});

describe('parseSessionListQuery', () => {
  it('accepts time, release, user, cursor, limit and refuses trace-only parameters', () => {
    expect(parseSessionListQuery({ user: 'u-1', release: 'r', limit: '3' }, 'input', asParam)).toEqual({ userId: 'u-1', release: 'r', limit: 3 });
    expect(failure(() => parseSessionListQuery({ attr: 'a=b' }, 'input', asParam)).message).toBe('query parameter attr: is not a known parameter');
  });
});
