/**
 * The one error family of EvalOps. Outcomes (a failed score, a blocked gate) are values, not errors;
 * an EvalOpsError means the work itself could not be done. Mapped once to exit codes (cli) and once
 * to HTTP status (server).
 */
export type ErrorCode =
  | 'usage' // bad flags or arguments
  | 'config' // invalid evalops.yaml / evalops.config.ts
  | 'input' // invalid user data: dataset rows, files, target output shape
  | 'not_found' // a referenced run, dataset or version does not exist
  | 'conflict' // state does not allow the operation
  | 'forbidden' // the actor's role does not allow the operation
  | 'target' // the system under test failed
  | 'provider' // an LLM provider failed
  | 'infrastructure' // database or network unreachable
  | 'internal'; // a bug

export interface EvalOpsErrorOptions {
  readonly cause?: unknown;
  readonly retryable?: boolean;
  /** Where the problem is: file, line, field path. Printed before the message. */
  readonly location?: string;
  /** Extra structured detail for --json output (e.g. a list of row errors). */
  readonly details?: unknown;
}

export class EvalOpsError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly location: string | undefined;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: EvalOpsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EvalOpsError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.location = options.location;
    this.details = options.details;
  }

  /** "file:line field: message" when a location is known. */
  describe(): string {
    return this.location ? `${this.location}: ${this.message}` : this.message;
  }
}

export function isEvalOpsError(e: unknown): e is EvalOpsError {
  return e instanceof EvalOpsError;
}

/** Exit codes of DESIGN.md §5: 2 user mistakes, 4 internal or infrastructure failure. */
export function exitCodeForError(e: unknown): 2 | 4 {
  if (!isEvalOpsError(e)) return 4;
  switch (e.code) {
    case 'usage':
    case 'config':
    case 'input':
    case 'not_found':
    case 'conflict':
    case 'forbidden':
      return 2;
    case 'target':
    case 'provider':
    case 'infrastructure':
    case 'internal':
      return 4;
  }
}

/** Message of any thrown value, for recording as a per-result error. */
export function errorMessage(e: unknown): string {
  if (isEvalOpsError(e)) return e.describe();
  if (e instanceof Error) return e.message;
  return String(e);
}
