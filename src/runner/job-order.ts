import type { ConversationSpec } from '../core/conversation.js';
import type { Example } from '../core/example.js';

/** One example × trial to run. */
export interface Job {
  readonly example: Example;
  readonly trial: number;
}

/**
 * The most sequential model calls an example can take: 1 for a single-turn example, one per scripted
 * turn, and for a scenario the opening (unless scripted) plus a target answer and a simulated-user
 * answer per turn up to `maxTurns`. An upper bound: a simulated user may end a scenario earlier.
 * @example expectedCalls({ kind: 'scenario', scenario: { persona: 'p', goal: 'g', facts: {}, maxTurns: 3 } }) // 7
 */
export function expectedCalls(conversation: ConversationSpec | undefined): number {
  if (conversation === undefined) return 1;
  if (conversation.kind === 'turns') return conversation.turns.length;
  return (conversation.scenario.opening === undefined ? 1 : 0) + 2 * conversation.scenario.maxTurns;
}

/**
 * The order the workers take jobs in: longest first (by expectedCalls), then trial, then dataset
 * order. With at most `concurrency` jobs in flight, a long conversation started last would run alone
 * at the end while every other slot sits idle; starting the long ones first leaves only short ones for
 * the tail (longest-processing-time-first scheduling). A run of single-turn examples keeps its
 * trial-major dataset order. Jobs are materialised lazily from a permutation of indices, so a large
 * run holds one number per job.
 * @example jobOrder(examples, 2).length // examples.length * 2
 */
export function jobOrder(examples: readonly Example[], repeat: number): { readonly length: number; at(i: number): Job } {
  const n = examples.length;
  const length = n * repeat;
  const jobAt = (j: number): Job => ({ example: examples[j % n] as Example, trial: Math.floor(j / n) });
  const calls = examples.map((e) => expectedCalls(e.conversation));
  if (calls.every((c) => c === 1)) return { length, at: jobAt };
  const order = Uint32Array.from({ length }, (_, j) => j);
  // Stable on (calls desc, trial, index): j = trial × n + index already orders trial, then index.
  order.sort((a, b) => (calls[b % n] as number) - (calls[a % n] as number) || a - b);
  return { length, at: (i) => jobAt(order[i] as number) };
}
