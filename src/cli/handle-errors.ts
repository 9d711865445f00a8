import { exitCodeForError, isEvalOpsError } from '../core/errors.js';

/**
 * The CLI's one error edge: prints a user mistake as one clear message (exit 2) and anything else
 * with its cause (exit 4). With --json the error is the JSON document on stdout.
 */
export async function withErrorHandling(json: boolean | undefined, body: () => Promise<number | void>): Promise<void> {
  try {
    const code = await body();
    if (typeof code === 'number') process.exitCode = code;
  } catch (e) {
    const exit = exitCodeForError(e);
    process.exitCode = exit;
    const message = isEvalOpsError(e) ? e.describe() : e instanceof Error ? e.message : String(e);
    if (json) {
      const error = isEvalOpsError(e) ? { code: e.code, message: e.message, location: e.location ?? null, details: e.details ?? null } : { code: 'internal', message };
      process.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
    }
    process.stderr.write(`evalops: ${message}\n`);
    if (exit === 4 && !isEvalOpsError(e) && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    if (exit === 4 && isEvalOpsError(e) && e.code === 'internal' && e.cause instanceof Error) process.stderr.write(`cause: ${e.cause.stack ?? e.cause.message}\n`);
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
