import { EvalOpsError } from '../core/errors.js';
import { lookupPath } from '../core/template.js';

export interface ResponseOutputOptions {
  /** The response said it is JSON (content-type); otherwise JSON is only tried when a path is given. */
  readonly json: boolean;
  readonly responsePath?: string | undefined;
  readonly toolCallsPath?: string | undefined;
}

/**
 * Turns an HTTP target's response body into what normaliseTargetOutput takes. Without paths the whole
 * body is the answer (a `{ output, toolCalls }` body counts as the structured form); with paths the
 * output and tool calls are read from them. Tool calls may be `{ name, arguments }` or OpenAI's
 * `{ function: { name, arguments } }`, with arguments as an object or a JSON string.
 * @example responseOutput('{"a":{"b":"hi"}}', { json: true, responsePath: 'a.b' }) // { output: 'hi', toolCalls: [] }
 */
export function responseOutput(text: string, options: ResponseOutputOptions): unknown {
  const withPaths = options.responsePath !== undefined || options.toolCallsPath !== undefined;
  const body = parseBody(text, options.json, withPaths);
  if (!withPaths) return body;
  let output: unknown = body;
  if (options.responsePath !== undefined) {
    output = lookupPath(body, options.responsePath);
    if (output === undefined) {
      throw new EvalOpsError('target', `responsePath ${options.responsePath} not found in response`, {
        details: { responsePath: options.responsePath, body: text.slice(0, 200) },
      });
    }
  }
  const toolCalls = options.toolCallsPath === undefined ? [] : readToolCalls(body, options.toolCallsPath);
  return { output, toolCalls };
}

function parseBody(text: string, json: boolean, tryJson: boolean): unknown {
  if (text.trim() === '' || (!json && !tryJson)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    if (!json) return text;
    throw new EvalOpsError('target', `response is not valid JSON: ${(cause as Error).message}`, { cause });
  }
}

function readToolCalls(body: unknown, path: string): unknown[] {
  const calls = lookupPath(body, path);
  // An answer without tool calls usually omits the field (OpenAI does): no calls, not an error.
  if (calls === undefined || calls === null) return [];
  if (!Array.isArray(calls)) throw new EvalOpsError('target', `toolCallsPath ${path} is not an array in response`);
  return calls.map((call: unknown) => {
    if (call === null || typeof call !== 'object') return call;
    const record = call as Record<string, unknown>;
    const fn = record['function'];
    const source = fn !== null && typeof fn === 'object' && !('name' in record) ? (fn as Record<string, unknown>) : record;
    return { name: source['name'], arguments: parseArguments(source['arguments']) };
  });
}

function parseArguments(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? {};
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
