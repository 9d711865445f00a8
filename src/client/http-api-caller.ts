import { z } from 'zod';
import type { ApiCaller } from '../api/api-caller.js';
import type { Operation, OperationCall, OperationResult } from '../api/operation.js';
import { parseOperationInput } from '../api/parse-operation-input.js';
import { whoAmI } from '../api/whoami-operation.js';
import { EvalOpsError, type ErrorCode } from '../core/errors.js';

export interface HttpApiCallerOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8787` (the /api/v1 prefix is added). */
  readonly url: string;
  readonly apiKey: string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

const ErrorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

const STATUS_CODES: Readonly<Record<number, ErrorCode>> = { 400: 'usage', 401: 'forbidden', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'input', 422: 'input' };
const KNOWN_CODES = new Set<string>(['usage', 'config', 'input', 'not_found', 'conflict', 'forbidden', 'target', 'provider', 'infrastructure', 'internal']);

/**
 * Calls operations on an EvalOps server over HTTP with an API key: the CLI's remote mode
 * (`--server URL`, `EVALOPS_API_KEY`). Inputs are checked with the operation's schemas before
 * sending (so a bad flag fails here with the same message the server would give); answers are
 * parsed with its response schema, and error answers become EvalOpsErrors with the server's message.
 */
export class HttpApiCaller implements ApiCaller {
  readonly target: string;
  private readonly base: string;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: HttpApiCallerOptions) {
    this.base = `${options.url.replace(/\/+$/, '')}/api/v1`;
    this.target = options.url;
    this.fetchFn = options.fetch ?? fetch;
  }

  async boundProject(): Promise<string | undefined> {
    return (await this.call(whoAmI, { params: {} })).project ?? undefined;
  }

  async call<O extends Operation>(operation: O, input: OperationCall<O>): Promise<OperationResult<O>> {
    const parsed = parseOperationInput(operation, input);
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String((parsed.params as Record<string, unknown>)[name])));
    const query = operation.query ? queryString(input.query ?? {}) : '';
    const answer = await this.send(operation.method.toUpperCase(), `${path}${query}`, operation.body ? (input.body ?? null) : undefined, operation.id);
    const result = operation.response.safeParse(answer);
    if (!result.success) throw new EvalOpsError('infrastructure', `the server at ${this.target} answered ${operation.id} with an unexpected shape (${result.error.issues[0]?.path.join('.') ?? ''}: ${result.error.issues[0]?.message ?? ''}); is it another EvalOps version?`);
    return result.data as OperationResult<O>;
  }

  async close(): Promise<void> {}

  private async send(method: string, path: string, body: unknown, what: string | undefined): Promise<unknown> {
    let response: Response;
    try {
      response = await this.fetchFn(`${this.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.options.apiKey}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
      });
    } catch (e) {
      throw new EvalOpsError('infrastructure', `cannot reach the EvalOps server at ${this.target}: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`, { cause: e, retryable: true });
    }
    const text = await response.text();
    const json = parseJson(text);
    if (response.ok) {
      if (json === undefined) throw new EvalOpsError('infrastructure', `the server at ${this.target} answered ${what ?? path} with a body that is not JSON`);
      return json;
    }
    const error = ErrorAnswer.safeParse(json);
    const message = error.success ? error.data.error.message : `HTTP ${response.status} ${text.slice(0, 200)}`;
    const serverCode = error.success ? error.data.error.code : undefined;
    const code: ErrorCode = serverCode && KNOWN_CODES.has(serverCode) ? (serverCode as ErrorCode) : (STATUS_CODES[response.status] ?? (response.status >= 500 ? 'infrastructure' : 'usage'));
    const prefix = response.status === 401 ? 'the server refused the key (EVALOPS_API_KEY): ' : '';
    throw new EvalOpsError(code, `${prefix}${message}`, { retryable: response.status === 503 || response.status === 429 });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `?a=1&b=x` from a flat query object; undefined values are left out, arrays repeat the key. */
export function queryString(query: Readonly<Record<string, unknown>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
