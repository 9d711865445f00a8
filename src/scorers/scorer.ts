import type { Example } from '../core/example.js';
import type { Score } from '../core/score.js';
import type { ScorerConfigOf, ScorerType } from '../core/scorer-config.js';
import type { ToolCall } from '../core/target-output.js';
import type { Transcript } from '../core/transcript.js';
import type { ModelPort } from '../models/model-port.js';
import type { RegisteredScorers } from './registered-scorers.js';

/** Everything a scorer may look at for one result. */
export interface ScoreInput {
  readonly example: Pick<Example, 'id' | 'input' | 'expected' | 'metadata'>;
  readonly output: unknown;
  /** The output as text: strings as they are, anything else as JSON. */
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
  readonly latencyMs: number;
  readonly costUsd?: number;
  /** Set for a conversation result: the whole session (then `output` is the transcript, `text` its text). */
  readonly transcript?: Transcript;
  readonly signal?: AbortSignal;
}

/**
 * One configured scorer. `version` identifies what decides its verdict (type and parameters; for a
 * judge also model, prompt and rubric), so scores from different scorer versions are never mixed.
 * A scorer never throws for a bad output: it returns a failed or errored score.
 */
export interface Scorer {
  readonly type: ScorerType;
  readonly version: string;
  score(input: ScoreInput): Score | Promise<Score>;
}

export interface ScorerDeps {
  /**
   * Directory that relative paths (rubrics, schemas, function modules) resolve against; `null` when
   * the config came from a request or the store (an online rule): then no file is read or imported,
   * and a parameter naming a file is a config error.
   */
  readonly baseDir: string | null;
  /** Scorers registered by the operator (`--scorers DIR`), which `{ type: function, name }` runs. */
  readonly registered?: RegisteredScorers;
  /** The LLM port; undefined when no provider is configured at all. */
  readonly models?: ModelPort;
  /** Loads a TS or JS module without a build step. */
  readonly importModule: (absolutePath: string) => Promise<Record<string, unknown>>;
}

export type ScorerFactory<T extends ScorerType> = (config: ScorerConfigOf<T>, deps: ScorerDeps) => Scorer | Promise<Scorer>;

/** Exhaustive: a scorer type without a factory does not compile. */
export type ScorerRegistry = { readonly [T in ScorerType]: ScorerFactory<T> };
