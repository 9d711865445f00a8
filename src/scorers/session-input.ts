import { scored, skipped, type Score } from '../core/score.js';
import { asTranscript, type Transcript } from '../core/transcript.js';
import type { ScoreInput } from './scorer.js';

/**
 * What every session scorer does first. A result that is not a conversation: skipped (the metric
 * does not apply; never a pass). A conversation with no turn, or one that ended in a target error:
 * failed, whatever the scorer would say about the turns before (an errored conversation never passes).
 * Otherwise the transcript to score.
 * @example const s = sessionOf(input, version); if ('score' in s) return s.score;
 */
export function sessionOf(input: ScoreInput, version: string): { readonly transcript: Transcript } | { readonly score: Score } {
  const transcript = input.transcript ?? asTranscript(input.output);
  if (transcript === null) return { score: skipped(version, 'not a conversation: session scorers apply to conversation results only') };
  if (transcript.turns.length === 0) return { score: scored(version, false, { reason: 'the conversation has no turn' }) };
  const failed = transcript.turns.find((t) => t.error !== undefined);
  if (failed !== undefined || transcript.endedBy === 'error') {
    const where = failed === undefined ? '' : ` on turn ${failed.index + 1}: ${failed.error ?? ''}`;
    return { score: scored(version, false, { reason: `the conversation ended in a target error${where}` }) };
  }
  return { transcript };
}

/** Turn numbers for reasons, 1-based: `turns 2, 4`. */
export function turnList(indices: readonly number[]): string {
  return `${indices.length === 1 ? 'turn' : 'turns'} ${indices.map((i) => i + 1).join(', ')}`;
}
