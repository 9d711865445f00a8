import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '../core/errors.js';

/** The one mapping of EvalOpsError codes to HTTP status (the CLI maps the same codes to exit codes). */
export const HTTP_STATUS: Readonly<Record<ErrorCode, ContentfulStatusCode>> = {
  usage: 400,
  config: 400,
  input: 400,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  target: 502,
  provider: 502,
  infrastructure: 503,
  internal: 500,
};
