import type { z } from 'zod';
import type { Permission } from '../auth/roles.js';
import type { ApiContext } from './api-context.js';

/**
 * One capability of the JSON API, declared once and used three ways: the server mounts it as a route
 * under /api/v1 (and describes it in the OpenAPI document), the remote client calls it over HTTP, and
 * the CLI calls it in-process on the local store. The schemas are the contract; the handler is the
 * one service call behind it.
 */
export interface Operation<
  P extends z.ZodObject = z.ZodObject,
  Q extends z.ZodObject = z.ZodObject,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  /** Stable operationId in the OpenAPI document, e.g. `listRuns`. */
  readonly id: string;
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI-style path under /api/v1, e.g. `/projects/{project}/runs/{runId}`. */
  readonly path: string;
  readonly summary: string;
  readonly tags: readonly string[];
  /** What the caller's API key needs; checked against the `{project}` path parameter when there is one. */
  readonly permission: Permission;
  readonly params: P;
  readonly query?: Q;
  readonly body?: B;
  /** A bulk body (an import): the server's import size limit applies instead of the ordinary one. */
  readonly bulkBody?: true;
  readonly response: R;
  /** 200 unless said otherwise (201 for creation). */
  readonly status?: 200 | 201;
  /** When the status depends on the outcome (201 created, 200 already there): both are documented. */
  readonly statusOf?: (result: z.output<R>) => 200 | 201;
  readonly handle: (ctx: ApiContext, input: OperationInput<P, Q, B>) => Promise<z.output<R>>;
}

/** What a handler receives: the parsed parameters, query and body. */
export interface OperationInput<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType> {
  readonly params: z.output<P>;
  readonly query: z.output<Q>;
  readonly body: z.output<B>;
}

/** What a caller passes: the unparsed (input-side) parameters, query and body. */
export type OperationCall<O> = O extends Operation<infer P, infer Q, infer B, z.ZodType>
  ? { readonly params: z.input<P>; readonly query?: z.input<Q>; readonly body?: z.input<B> }
  : never;

/** What an operation answers. */
export type OperationResult<O> = O extends Operation<z.ZodObject, z.ZodObject, z.ZodType, infer R> ? z.output<R> : never;

/**
 * Declares an operation, inferring its types from the schemas.
 * @example defineOperation({ id: 'listRuns', method: 'get', path: '/projects/{project}/runs', … })
 */
export function defineOperation<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType, R extends z.ZodType>(
  operation: Operation<P, Q, B, R>,
): Operation<P, Q, B, R> {
  return operation;
}
