import { EvalOpsError } from '../core/errors.js';
import { normaliseTargetOutput, type TargetOutput } from '../core/target-output.js';

/**
 * normaliseTargetOutput for what a target produced: an invalid structured form (e.g. `toolCalls` that
 * is not an array) is the target's fault, so it becomes a non-retryable `target` error.
 * @example checkedTargetOutput({ output: 'hi', toolCalls: 'x' }) // throws "invalid target output: field toolCalls: …"
 */
export function checkedTargetOutput(value: unknown): TargetOutput {
  try {
    return normaliseTargetOutput(value);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message.replace(/^target output /, '') : String(cause);
    throw new EvalOpsError('target', `invalid target output: ${detail}`, { cause });
  }
}
