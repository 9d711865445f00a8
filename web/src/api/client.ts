import createClient from 'openapi-fetch';
import type { paths } from './schema.gen';

/**
 * The typed API client: paths, parameters and answers come from the server's OpenAPI document
 * (schema.gen.ts). The session cookie signs requests in; the CSRF header lets writes through.
 */
export const api = createClient<paths>({ baseUrl: '/api/v1', credentials: 'same-origin', headers: { 'x-evalops-csrf': '1' } });

/** An API error answer, thrown so that react-query shows the error state. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** The data of an answer, or an ApiError with the server's message. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined && result.response.ok) return result.data;
  const body = result.error as { error?: { code?: string; message?: string } } | undefined;
  throw new ApiError(result.response.status, body?.error?.message ?? `HTTP ${result.response.status}`, body?.error?.code ?? 'unknown');
}
