/** One result as far as its error goes. */
export interface ErroredResult {
  readonly exampleId: string;
  readonly error?: string | undefined;
}

/**
 * Why a run failed everywhere, for the exit-4 message: the first `max` distinct error messages, each
 * with the first example that hit it and how many others did.
 * @example firstErrors([{ exampleId: 'a', error: 'ECONNREFUSED' }, { exampleId: 'b', error: 'ECONNREFUSED' }]) // ['a: ECONNREFUSED (and 1 more example)']
 */
export function firstErrors(results: readonly ErroredResult[], max = 3): string[] {
  const byMessage = new Map<string, { first: string; count: number }>();
  for (const r of results) {
    if (r.error === undefined) continue;
    const seen = byMessage.get(r.error);
    if (seen) seen.count += 1;
    else byMessage.set(r.error, { first: r.exampleId, count: 1 });
  }
  const lines = [...byMessage].slice(0, max).map(([message, { first, count }]) => `${first}: ${message.length > 300 ? `${message.slice(0, 300)}…` : message}${count > 1 ? ` (and ${count - 1} more example${count > 2 ? 's' : ''})` : ''}`);
  if (byMessage.size > max) lines.push(`… ${byMessage.size - max} other distinct error${byMessage.size - max > 1 ? 's' : ''}`);
  return lines;
}
