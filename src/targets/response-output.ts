import { EvalOpsError } from '../core/errors.js';
import { lookupPath } from '../core/template.js';

export interface ResponseOutputOptions {
  /** The response said it is JSON (content-type); otherwise JSON is only tried when a path is given. */
  readonly json: boolean;
  readonly responsePath?: string | undefined;
  readonly toolCallsPath?: string | undefined;
  /** Named in the error of a response that breaks the contract. */
  readonly exampleId?: string | undefined;
}

/** Characters of a response quoted in a contract error. */
const BODY_EXCERPT = 200;

/**
 * Turns an HTTP target's response body into what normaliseTargetOutput takes. Without paths the whole
 * body is the answer (a `{ output, toolCalls }` body counts as the structured form); with paths the
 * output and tool calls are read from them. Tool calls may be `{ name, arguments }` or OpenAI's
 * `{ function: { name, arguments } }`, with arguments as an object or a JSON string.
 *
 * The paths are a contract: a `responsePath` the response does not have is this result's error
 * (quoting the response), never a silent fallback. A `toolCallsPath` whose last field is absent means
 * "no tool calls" (OpenAI omits `tool_calls` when none were made), but a path whose parent is missing
 * (`choices.0.mesage.tool_calls`) is an error too.
 * @example responseOutput('{"a":{"b":"hi"}}', { json: true, responsePath: 'a.b' }) // { output: 'hi', toolCalls: [] }
 */
export function responseOutput(text: string, options: ResponseOutputOptions): unknown {
  const withPaths = options.responsePath !== undefined || options.toolCallsPath !== undefined;
  const body = parseBody(text, options.json, withPaths);
  if (!withPaths) return body;
  let output: unknown = body;
  if (options.responsePath !== undefined) {
    output = lookupPath(body, options.responsePath);
    if (output === undefined) throw contractError(`responsePath ${options.responsePath} not found in response`, text, options);
  }
  const toolCalls = options.toolCallsPath === undefined ? [] : readToolCalls(body, options.toolCallsPath, text, options);
  return { output, toolCalls };
}

function contractError(what: string, text: string, options: ResponseOutputOptions): EvalOpsError {
  const excerpt = text.slice(0, BODY_EXCERPT);
  const quoted = `${JSON.stringify(excerpt)}${text.length > BODY_EXCERPT ? '…' : ''}`;
  const prefix = options.exampleId === undefined ? '' : `example ${options.exampleId}: `;
  return new EvalOpsError('target', `${prefix}${what}: ${quoted}`, {
    details: { ...(options.exampleId === undefined ? {} : { exampleId: options.exampleId }), body: excerpt },
  });
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

function readToolCalls(body: unknown, path: string, text: string, options: ResponseOutputOptions): unknown[] {
  const calls = lookupPath(body, path);
  if (calls === undefined || calls === null) {
    // An answer without tool calls usually omits the field (OpenAI does): no calls, not an error —
    // but only when the object that would hold it exists; otherwise the path itself is wrong.
    const parent = path.includes('.') ? lookupPath(body, path.slice(0, path.lastIndexOf('.'))) : body;
    if (parent === null || typeof parent !== 'object') throw contractError(`toolCallsPath ${path} not found in response`, text, options);
    return [];
  }
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
