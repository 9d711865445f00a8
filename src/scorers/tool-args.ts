import { EvalOpsError } from '../core/errors.js';
import { jsonEqual } from '../core/json.js';
import { scored } from '../core/score.js';
import { calledNames, deepParam, emptyTemplate, quote, scorerVersion, textParam } from './deterministic.js';
import { loadJsonSchemaValidator, type JsonSchemaValidator } from './json-schema-validator.js';
import type { ScorerFactory } from './scorer.js';

/**
 * `tool-args`: among the calls of tool `name`, at least one has arguments that validate against
 * `schema` (inline or file, compiled once) and/or hold every key of `arguments` with a deep-equal value
 * (extra keys in the call are allowed). Arguments recorded as a JSON string are parsed first. Strings
 * in `arguments` are templates; one that is exactly a placeholder keeps the type it points at. Fails
 * when the tool was not called. At least one of `schema` and `arguments` is required.
 * @example { type: tool-args, name: lookup_order, arguments: { orderId: "{{expected.orderId}}" } }
 */
export const toolArgsScorer: ScorerFactory<'tool-args'> = async (config, deps) => {
  if (config.schema === undefined && config.arguments === undefined) {
    throw new EvalOpsError('config', 'tool-args needs `schema` or `arguments` (to check only that a tool was called, use tool-called)');
  }
  const validator = config.schema === undefined ? undefined : await loadJsonSchemaValidator(config.schema, deps.baseDir);
  const version = scorerVersion(config, validator?.fileHash === undefined ? undefined : { file: validator.fileHash });
  const name = textParam(config.name);
  const expectedArgs = config.arguments === undefined ? undefined : deepParam(config.arguments);
  return {
    type: 'tool-args',
    version,
    score(input) {
      const wanted = name.render(input);
      if (wanted === '') return emptyTemplate(version, name.source);
      const calls = input.toolCalls.filter((c) => c.name === wanted);
      if (calls.length === 0) return scored(version, false, { reason: `${quote(wanted)} was not called; ${calledNames(input)}` });
      const expected = expectedArgs?.render(input) as Readonly<Record<string, unknown>> | undefined;
      let firstProblem: string | undefined;
      for (const [i, call] of calls.entries()) {
        const problem = checkArguments(call.arguments, validator, expected);
        if (problem === undefined) {
          return scored(version, true, { reason: `call ${i + 1} of ${calls.length} to ${quote(wanted)} has the expected arguments` });
        }
        firstProblem ??= problem;
      }
      const prefix = calls.length === 1 ? `${quote(wanted)} call` : `none of ${calls.length} ${quote(wanted)} calls match; first`;
      return scored(version, false, { reason: `${prefix}: ${firstProblem ?? ''}` });
    },
  };
};

function checkArguments(
  raw: unknown,
  validator: JsonSchemaValidator | undefined,
  expected: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  let args = raw;
  if (typeof raw === 'string') {
    try {
      args = JSON.parse(raw) as unknown;
    } catch {
      return `arguments are not JSON: ${quote(raw)}`;
    }
  }
  if (validator !== undefined) {
    const problem = validator.check(args);
    if (problem !== undefined) return `arguments do not match the schema: ${problem}`;
  }
  if (expected !== undefined) {
    if (args === null || typeof args !== 'object' || Array.isArray(args)) return `arguments are not an object: ${quote(args)}`;
    const actual = args as Record<string, unknown>;
    const wrong = Object.keys(expected)
      .filter((key) => !(key in actual) || !jsonEqual(actual[key], expected[key]))
      .map((key) => (key in actual ? `${key}: expected ${quote(expected[key])}, got ${quote(actual[key])}` : `${key}: missing`));
    if (wrong.length > 0) return wrong.join('; ');
  }
  return undefined;
}
