import { commandScorer } from './command.js';
import { containsAllScorer } from './contains-all.js';
import { containsAnyScorer } from './contains-any.js';
import { containsScorer } from './contains.js';
import { costScorer } from './cost.js';
import { equalsScorer } from './equals.js';
import { frustrationScorer } from './frustration.js';
import { functionScorer } from './function.js';
import { goalCompletedScorer } from './goal-completed.js';
import { humanScorer } from './human.js';
import { icontainsScorer } from './icontains.js';
import { isJsonScorer } from './is-json.js';
import { jsonSchemaScorer } from './json-schema.js';
import { judgeScorer } from './judge.js';
import { latencyScorer } from './latency.js';
import { lengthScorer } from './length.js';
import { levenshteinScorer } from './levenshtein.js';
import { perTurnScorer } from './per-turn.js';
import { recoveredScorer } from './recovered.js';
import { refusalScorer } from './refusal.js';
import { regexScorer } from './regex.js';
import { repeatedQuestionScorer } from './repeated-question.js';
import type { ScorerRegistry } from './scorer.js';
import { similarityScorer } from './similarity.js';
import { startsWithScorer } from './starts-with.js';
import { toolArgsScorer } from './tool-args.js';
import { toolCalledScorer } from './tool-called.js';
import { toolNotCalledScorer } from './tool-not-called.js';
import { toolSequenceScorer } from './tool-sequence.js';
import { turnsScorer } from './turns.js';

/** Every scorer type's factory. Exhaustive: a type in SCORER_TYPES without a factory does not compile. */
export const scorerRegistry: ScorerRegistry = {
  equals: equalsScorer,
  contains: containsScorer,
  icontains: icontainsScorer,
  'starts-with': startsWithScorer,
  'contains-any': containsAnyScorer,
  'contains-all': containsAllScorer,
  regex: regexScorer,
  'is-json': isJsonScorer,
  'json-schema': jsonSchemaScorer,
  length: lengthScorer,
  levenshtein: levenshteinScorer,
  'tool-called': toolCalledScorer,
  'tool-not-called': toolNotCalledScorer,
  'tool-args': toolArgsScorer,
  'tool-sequence': toolSequenceScorer,
  latency: latencyScorer,
  cost: costScorer,
  refusal: refusalScorer,
  function: functionScorer,
  command: commandScorer,
  judge: judgeScorer,
  similarity: similarityScorer,
  human: humanScorer,
  'goal-completed': goalCompletedScorer,
  turns: turnsScorer,
  'per-turn': perTurnScorer,
  'repeated-question': repeatedQuestionScorer,
  frustration: frustrationScorer,
  recovered: recoveredScorer,
};
