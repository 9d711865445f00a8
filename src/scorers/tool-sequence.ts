import { scored } from '../core/score.js';
import { calledNames, deepParam, emptyTemplate, quote, scorerVersion, type DeepParam } from './deterministic.js';
import type { ScoreInput, ScorerFactory } from './scorer.js';

/**
 * `tool-sequence`: the tools in `names` were called in that order. By default other calls may come
 * between and around them (a subsequence); with `strict: true` they must be contiguous (a run of
 * consecutive calls, still anywhere in the list). Each name is a template; one that is exactly a
 * placeholder pointing at an array of names (`"{{expected.tools}}"`) expands to that array, and names
 * that render empty are dropped (none left: the example is skipped).
 * @example { type: tool-sequence, names: [lookup_order, issue_refund], strict: true }
 */
export const toolSequenceScorer: ScorerFactory<'tool-sequence'> = (config) => {
  const version = scorerVersion(config);
  const params = config.names.map(deepParam);
  const strict = config.strict === true;
  return {
    type: 'tool-sequence',
    version,
    score(input) {
      const names = expandNames(params, input);
      if (names.length === 0) return emptyTemplate(version, config.names);
      const called = input.toolCalls.map((c) => c.name);
      const ok = strict ? containsRun(called, names) : containsSubsequence(called, names);
      const how = strict ? 'contiguously' : 'in order';
      return scored(version, ok, { reason: `${quote(names)} ${ok ? 'were' : 'were not'} called ${how}; ${calledNames(input)}` });
    },
  };
};

function expandNames(params: readonly DeepParam[], input: ScoreInput): string[] {
  const out: string[] = [];
  for (const p of params) {
    const v = p.render(input);
    for (const item of Array.isArray(v) ? v : [v]) {
      const name = typeof item === 'string' ? item : item === null || item === undefined ? '' : String(item);
      if (name !== '') out.push(name);
    }
  }
  return out;
}

function containsSubsequence(called: readonly string[], names: readonly string[]): boolean {
  let j = 0;
  for (const name of called) {
    if (name === names[j]) j++;
    if (j === names.length) return true;
  }
  return false;
}

function containsRun(called: readonly string[], names: readonly string[]): boolean {
  for (let start = 0; start + names.length <= called.length; start++) {
    if (names.every((name, k) => called[start + k] === name)) return true;
  }
  return false;
}
