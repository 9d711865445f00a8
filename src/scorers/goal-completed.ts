import { transcriptText, transcriptToolCalls, type Transcript } from '../core/transcript.js';
import { scorerVersion } from './deterministic.js';
import { judgeScorer } from './judge.js';
import type { ScorerFactory } from './scorer.js';
import { sessionOf } from './session-input.js';

/**
 * `goal-completed`: an LLM judge over the whole transcript — the same machinery as `judge` (rubric,
 * labels, pass labels, model, threshold, structured verdict, retries), so it is calibrated against a
 * gold set like any judge and the gate marks it uncalibrated until it is. The judge reads the goal
 * (when the conversation was a scenario), the persona, every turn and every tool call of the session.
 * Defaults: a built-in rubric, labels `[not_met, partially_met, met]`, pass `[met]`. An empty or
 * errored conversation fails without asking the judge; a result that is not a conversation is skipped.
 * @example { type: goal-completed, model: openai:gpt-4.1-mini }
 */
export const goalCompletedScorer: ScorerFactory<'goal-completed'> = async (config, deps) => {
  const { type: _type, ...judgeConfig } = config;
  const judge = await judgeScorer({ type: 'judge', ...judgeConfig }, deps);
  // The judge's version hashes model, rubric, labels and prompt; the transcript layout is this file's.
  const version = scorerVersion(config, { judge: judge.version, layout: 1 });
  return {
    type: 'goal-completed',
    version,
    async score(input) {
      const session = sessionOf(input, version);
      if ('score' in session) return session.score;
      const { transcript } = session;
      const s = await judge.score({ ...input, text: judgedText(transcript), toolCalls: transcriptToolCalls(transcript) });
      return { ...s, scorerVersion: version };
    },
  };
};

/** What the judge reads as the output: goal and persona, then the transcript with each turn's tool calls. */
export function judgedText(transcript: Transcript): string {
  const head = [transcript.goal === undefined ? undefined : `User's goal: ${transcript.goal}`, transcript.persona === undefined ? undefined : `User persona: ${transcript.persona}`].filter((x) => x !== undefined);
  const calls = transcript.turns.some((t) => t.toolCalls.length > 0);
  const body = calls
    ? transcript.turns
        .map((t) => {
          const tools = t.toolCalls.map((c) => `  [tool ${c.name} ${JSON.stringify(c.arguments ?? {})}${c.error === undefined ? '' : ` → error: ${c.error}`}]`);
          return [`user: ${t.user}`, ...tools, `assistant: ${t.text}`].join('\n');
        })
        .join('\n')
    : transcriptText(transcript);
  return [...head, ...(head.length > 0 ? [''] : []), body].join('\n');
}
