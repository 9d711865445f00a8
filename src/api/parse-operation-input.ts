import type { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import type { Operation, OperationInput } from './operation.js';

/**
 * Parses a call's parameters, query and body with the operation's schemas, as the server does for an
 * HTTP request, so a bad value gets the same message in-process and over HTTP: 'query field limit:
 * …' (a usage mistake for parameters and query, bad input for a body).
 */
export function parseOperationInput<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType>(
  operation: Operation<P, Q, B, z.ZodType>,
  input: { readonly params: unknown; readonly query?: unknown; readonly body?: unknown },
): OperationInput<P, Q, B> {
  return {
    params: parsePart(operation.params, input.params ?? {}, 'path'),
    query: operation.query ? parsePart(operation.query, input.query ?? {}, 'query') : ({} as z.output<Q>),
    body: operation.body ? parsePart(operation.body, input.body, 'body') : (undefined as z.output<B>),
  };
}

/** One part; the message names the part and the field. */
export function parsePart<S extends z.ZodType>(schema: S, value: unknown, part: 'path' | 'query' | 'body'): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new EvalOpsError(part === 'body' ? 'input' : 'usage', describeIssues(parsed.error, part), { details: { issues: parsed.error.issues } });
}

/** "query field limit: Too big: expected number to be <=1000" — the first issue, with its path. */
export function describeIssues(error: z.ZodError, part: string): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? ` field ${issue.path.join('.')}` : '';
  return `${part}${where}: ${issue?.message ?? 'invalid'}`;
}
