import { errored, scored, skipped, type Score } from '../core/score.js';
import type { ScorerConfigOf } from '../core/scorer-config.js';
import type { TranscriptTurn } from '../core/transcript.js';
import { scorerVersion } from './deterministic.js';
import type { Scorer, ScoreInput, ScorerFactory } from './scorer.js';
import { sessionOf } from './session-input.js';

/** One turn's verdict, kept in the session score's reason. */
export interface TurnVerdict {
  readonly turn: number;
  readonly score: Score;
}

/**
 * `per-turn`: any single-output scorer applied to each turn's answer (its text, output, tool calls
 * and latency), with that turn's `expected` as `{{expected…}}` — a turn without `expected` leaves
 * templated parameters empty, so that turn is skipped. The verdicts are aggregated:
 * - `all` (default): every scored turn passes; `any`: at least one does; `mean`: the mean value of
 *   the scored turns reaches `min` (default 0.5).
 * A turn whose check errored makes the session errored unless the verdict is already decided (a
 * failing turn under `all`, a passing one under `any`). No scored turn: skipped.
 * The per-turn verdicts are kept in the reason (`turn 1 pass, turn 2 fail (…)`); see docs/session-scorers.md.
 * @example { type: per-turn, aggregate: all, scorer: { type: contains, value: "{{expected.keyword}}" } }
 */
export const perTurnScorer: ScorerFactory<'per-turn'> = async (config, deps) => {
  // Imported when built: create-scorer's registry holds this factory.
  const { createScorer } = await import('./create-scorer.js');
  const inner = await createScorer(config.scorer, deps);
  const version = scorerVersion(config, { inner: inner.version });
  return {
    type: 'per-turn',
    version,
    async score(input) {
      const session = sessionOf(input, version);
      if ('score' in session) return session.score;
      const verdicts: TurnVerdict[] = [];
      for (const [i, turn] of session.transcript.turns.entries()) verdicts.push({ turn: i, score: await scoreTurn(inner, input, turn) });
      return aggregateTurns(version, config, verdicts);
    },
  };
};

async function scoreTurn(inner: Scorer, input: ScoreInput, turn: TranscriptTurn): Promise<Score> {
  const turnInput: ScoreInput = {
    example: { ...input.example, expected: turn.expected },
    output: turn.output,
    text: turn.text,
    toolCalls: turn.toolCalls,
    latencyMs: turn.latencyMs,
    ...(turn.costUsd === undefined ? {} : { costUsd: turn.costUsd }),
    ...(input.signal ? { signal: input.signal } : {}),
  };
  try {
    return await inner.score(turnInput);
  } catch (e) {
    return errored(inner.version, `scorer failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The session verdict from the turns' verdicts (pure; exported for tests). */
export function aggregateTurns(version: string, config: Pick<ScorerConfigOf<'per-turn'>, 'aggregate' | 'min'>, verdicts: readonly TurnVerdict[]): Score {
  const counted = verdicts.filter((v) => v.score.status === 'scored');
  const erroredTurns = verdicts.filter((v) => v.score.status === 'errored');
  const passed = counted.filter((v) => v.score.pass === true).length;
  const summary = `${passed}/${counted.length} scored turns passed${erroredTurns.length > 0 ? `, ${erroredTurns.length} errored` : ''}: ${verdicts.map(describe).join(', ')}`;
  if (counted.length === 0 && erroredTurns.length === 0) return skipped(version, `no turn could be scored: ${verdicts.map(describe).join(', ')}`);
  const aggregate = config.aggregate;
  if (aggregate === 'all') {
    if (counted.some((v) => v.score.pass !== true)) return scored(version, false, { value: passed / counted.length, reason: `all: ${summary}` });
    if (erroredTurns.length > 0) return errored(version, `all: ${summary}`);
    return scored(version, true, { reason: `all: ${summary}` });
  }
  if (aggregate === 'any') {
    if (passed > 0) return scored(version, true, { value: passed / counted.length, reason: `any: ${summary}` });
    if (erroredTurns.length > 0) return errored(version, `any: ${summary}`);
    return scored(version, false, { reason: `any: ${summary}` });
  }
  if (erroredTurns.length > 0) return errored(version, `mean: ${summary}`);
  const min = config.min ?? 0.5;
  const mean = counted.reduce((sum, v) => sum + (v.score.value ?? 0), 0) / counted.length;
  return scored(version, mean >= min, { value: mean, reason: `mean ${round(mean)} (min ${min}): ${summary}` });
}

function describe(v: TurnVerdict): string {
  const s = v.score;
  const verdict = s.status === 'scored' ? (s.pass ? 'pass' : 'fail') : s.status;
  const why = s.status === 'scored' && s.pass ? '' : s.reason === undefined ? '' : ` (${s.reason.length > 60 ? `${s.reason.slice(0, 60)}…` : s.reason})`;
  return `turn ${v.turn + 1} ${verdict}${why}`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
