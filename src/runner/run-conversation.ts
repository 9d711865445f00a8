import type { ConversationSpec, Scenario } from '../core/conversation.js';
import { isEvalOpsError } from '../core/errors.js';
import type { Example } from '../core/example.js';
import { sha256 } from '../core/hash.js';
import { canonicalJson } from '../core/json.js';
import { outputText, type TargetOutput, type TokenUsage } from '../core/target-output.js';
import type { ChatMessage, SimulatedUserVerdict, Transcript, TranscriptTurn } from '../core/transcript.js';
import type { SimulatedUser, VisibleMessage } from '../conversation/simulated-user.js';
import type { CacheRepository } from '../store/cache-repository.js';
import type { Target } from '../targets/target.js';
import { callWithRetries, type RetryPolicy } from './call-with-retries.js';
import { CachedResponseSchema, CachedVerdictSchema, readCacheEntry } from './response-cache.js';
import type { CacheWrite } from './result-writer.js';

export interface ConversationCache {
  readonly repo: CacheRepository;
  /** False when the target says earlier runs' responses must not be served (answers are still recorded). */
  readonly reads: boolean;
  readonly runId: string;
}

export interface RunConversationOptions {
  readonly example: Example;
  readonly conversation: ConversationSpec;
  readonly trial: number;
  readonly target: Target;
  /** Needed for a scenario; a scenario without one ends errored on its first turn. */
  readonly simulatedUser?: SimulatedUser;
  readonly cache?: ConversationCache;
  readonly retry: RetryPolicy;
}

export interface ConversationOutcome {
  readonly transcript: Transcript;
  /** Sum of the target's turn latencies (the simulated user's time is not the target's). */
  readonly latencyMs: number;
  /** Sum of the target's turn costs, cached turns excluded (they cost nothing this time). */
  readonly costUsd?: number;
  readonly usage?: TokenUsage;
  /** Set when a turn failed: the conversation ended there and the result counts as an error. */
  readonly error?: string;
  /** Target calls made, retries included. */
  readonly attempts: number;
  /** Every target answer and simulated-user answer came from the cache. */
  readonly cached: boolean;
  readonly cacheWrites: readonly CacheWrite[];
  /** The run that recorded the first cached answer, when any was served from the cache. */
  readonly source?: { readonly runId: string | null; readonly at: string | null };
}

/**
 * Runs one conversation example turn by turn. Scripted `turns` are replayed with the target's own
 * earlier answers in the history; a `scenario` is driven by the simulated user until it is done or
 * `maxTurns` target answers were given. Every target answer and every simulated-user answer is cached
 * under a key holding the whole history so far (and the trial), so a rerun of the same target replays
 * the same conversation. A failed turn (the target's, or a simulated user's malformed answer) ends the
 * conversation as errored. Undefined when the run was aborted.
 */
export async function runConversation(options: RunConversationOptions): Promise<ConversationOutcome | undefined> {
  const { conversation, example, trial, target } = options;
  const state = new ConversationState();
  const history: ChatMessage[] = [];
  const visible: VisibleMessage[] = [];
  const turns: TranscriptTurn[] = [];
  const scenario = conversation.kind === 'scenario' ? conversation.scenario : undefined;
  const scripted = conversation.kind === 'turns' ? conversation.turns : undefined;
  const finish = (endedBy: Transcript['endedBy'], goalMet: boolean | null, error?: string): ConversationOutcome =>
    state.outcome({ kind: 'transcript', turns, endedBy, goalMet, ...(scenario ? { goal: scenario.goal, persona: scenario.persona } : {}) }, error);

  let userMessage: string;
  if (scripted) userMessage = (scripted[0] as { user: string }).user;
  else {
    const opening = scenario?.opening ?? (await askUser(options, scenario as Scenario, visible, state));
    if (opening === undefined) return undefined;
    if (typeof opening !== 'string') {
      const failure = 'error' in opening ? opening : { error: 'simulated user: no opening message' };
      turns.push({ index: 0, user: '', output: null, text: '', toolCalls: [], latencyMs: 0, error: failure.error, ...(failure.raw === undefined ? {} : { rawUserAnswer: failure.raw }) });
      return finish('error', false, `turn 1: ${failure.error}`);
    }
    userMessage = opening;
  }

  for (let k = 0; ; k++) {
    history.push({ role: 'user', content: userMessage });
    visible.push({ role: 'user', content: userMessage });
    const expected = scripted?.[k]?.expected;
    const answer = await askTarget(options, history, k, state);
    if (answer === undefined) return undefined;
    if (!answer.ok) {
      turns.push({ index: k, user: userMessage, output: null, text: '', toolCalls: [], latencyMs: answer.latencyMs, error: answer.message, ...(expected === undefined ? {} : { expected }) });
      return finish('error', scenario ? false : null, `turn ${k + 1}: ${answer.message}`);
    }
    const { output } = answer;
    const text = outputText(output.output);
    const turn: TranscriptTurn = {
      index: k,
      user: userMessage,
      output: output.output,
      text,
      toolCalls: output.toolCalls,
      latencyMs: answer.latencyMs,
      ...(output.costUsd === undefined ? {} : { costUsd: output.costUsd }),
      ...(expected === undefined ? {} : { expected }),
    };
    turns.push(turn);
    appendAnswer(history, output, k);
    visible.push({ role: 'assistant', content: text });

    if (scripted) {
      const next = scripted[k + 1];
      if (next === undefined) return finish('script-end', null);
      userMessage = next.user;
      continue;
    }
    const reply = await askUser(options, scenario as Scenario, visible, state);
    if (reply === undefined) return undefined;
    if (typeof reply !== 'string' && 'error' in reply) {
      turns[k] = { ...turn, error: reply.error, ...(reply.raw === undefined ? {} : { rawUserAnswer: reply.raw }) };
      return finish('error', false, `turn ${k + 1}: ${reply.error}`);
    }
    const verdict = reply as SimulatedUserVerdict;
    turns[k] = { ...turn, verdict };
    if (verdict.done) return finish('user-done', verdict.goalMet);
    if (k + 1 >= (scenario as Scenario).maxTurns) return finish('max-turns', verdict.goalMet);
    userMessage = verdict.message;
  }
}

/** The target's answer in the history: its text with its tool calls, then each known tool result. */
function appendAnswer(history: ChatMessage[], output: TargetOutput, turn: number): void {
  history.push({ role: 'assistant', content: outputText(output.output), ...(output.toolCalls.length > 0 ? { toolCalls: output.toolCalls } : {}) });
  output.toolCalls.forEach((call, i) => {
    if (call.result === undefined && call.error === undefined) return;
    const content = call.error !== undefined ? `error: ${call.error}` : typeof call.result === 'string' ? call.result : JSON.stringify(call.result);
    history.push({ role: 'tool', content, name: call.name, toolCallId: `call_${turn}_${i}` });
  });
}

type TargetAnswer = { ok: true; output: TargetOutput; latencyMs: number } | { ok: false; message: string; latencyMs: number };

async function askTarget(options: RunConversationOptions, history: readonly ChatMessage[], turn: number, state: ConversationState): Promise<TargetAnswer | undefined> {
  const { target, example, trial, cache } = options;
  const messages = [...history];
  const key = cache ? targetTurnKey(target.variant, messages, trial) : undefined;
  if (key && cache?.reads) {
    const hit = await readCacheEntry(cache.repo, key, CachedResponseSchema);
    if (hit) {
      state.served({ runId: hit.runId ?? null, at: hit.at ?? hit.recordedAt });
      return { ok: true, output: hit.output, latencyMs: hit.latencyMs };
    }
  }
  state.called();
  const attempt = await callWithRetries(
    (signal) => target.converse(messages, { exampleId: example.id, trial, metadata: example.metadata, signal, conversation: { turn, exampleId: example.id } }),
    options.retry,
  );
  if (attempt === undefined) return undefined;
  state.attempts += attempt.attempts;
  if (!attempt.ok) return { ok: false, message: attempt.message, latencyMs: attempt.latencyMs };
  state.add(attempt.value);
  if (key && cache) {
    const value = JSON.stringify({ output: attempt.value, latencyMs: attempt.latencyMs, runId: cache.runId, at: new Date(options.retry.now()).toISOString() });
    state.writes.push({ key, targetVariant: target.variant, value });
  }
  return { ok: true, output: attempt.value, latencyMs: attempt.latencyMs };
}

type UserAnswer = string | SimulatedUserVerdict | { error: string; raw?: string };

/** The opening message (empty history: a string) or the verdict after the target's last answer. */
async function askUser(options: RunConversationOptions, scenario: Scenario, visible: readonly VisibleMessage[], state: ConversationState): Promise<UserAnswer | undefined> {
  const { simulatedUser: user, cache, trial, target } = options;
  const opening = visible.length === 0;
  if (user === undefined) return { error: 'simulated user: none is configured for this scenario (set simulatedUser: in the config)' };
  const history = [...visible];
  const key = cache ? userTurnKey(target.variant, user.variant, scenario, history, trial) : undefined;
  if (key && cache?.reads) {
    const hit = await readCacheEntry(cache.repo, key, CachedVerdictSchema);
    if (hit) {
      state.served({ runId: hit.runId ?? null, at: hit.at ?? hit.recordedAt });
      return opening ? hit.verdict.message : hit.verdict;
    }
  }
  state.called();
  const attempt = await callWithRetries((signal) => user.reply({ scenario, history, seed: trial, signal }), options.retry);
  if (attempt === undefined) return undefined;
  if (!attempt.ok) return { error: `simulated user: ${attempt.message}`, ...rawText(attempt.error) };
  const { verdict } = attempt.value;
  if (opening && verdict.message.trim() === '') return { error: 'simulated user: empty opening message', raw: JSON.stringify(verdict) };
  if (!verdict.done && verdict.message.trim() === '') return { error: 'simulated user: empty message without done', raw: JSON.stringify(verdict) };
  if (key && cache) state.writes.push({ key, targetVariant: target.variant, value: JSON.stringify({ verdict, runId: cache.runId, at: new Date(options.retry.now()).toISOString() }) });
  return opening ? verdict.message : verdict;
}

function rawText(error: unknown): { raw?: string } {
  if (!isEvalOpsError(error)) return {};
  const details = error.details as { rawText?: unknown } | undefined;
  return typeof details?.rawText === 'string' ? { raw: details.rawText } : {};
}

/** A target turn: its variant, the trial and the whole history it answers (distinct from single-turn keys). */
export function targetTurnKey(targetVariant: string, history: readonly ChatMessage[], trial: number): string {
  return sha256(`${targetVariant}\u0000${trial}\u0000turn\u0000${canonicalJson(history)}`);
}

/** A simulated-user turn: the target it talks to, its own variant, the scenario, what it saw, the trial. */
export function userTurnKey(targetVariant: string, userVariant: string, scenario: Scenario, history: readonly VisibleMessage[], trial: number): string {
  return sha256(`${targetVariant}\u0000${trial}\u0000user\u0000${userVariant}\u0000${canonicalJson({ scenario, history })}`);
}

/** What the turns add up to: latency, cost and tokens of the target, calls made and served, cache writes. */
class ConversationState {
  attempts = 0;
  readonly writes: CacheWrite[] = [];
  private costUsd: number | undefined;
  private inputTokens: number | undefined;
  private outputTokens: number | undefined;
  private calls = 0;
  private firstSource: { runId: string | null; at: string | null } | undefined;

  served(source: { runId: string | null; at: string | null }): void {
    this.firstSource ??= source;
  }

  called(): void {
    this.calls++;
  }

  add(output: TargetOutput): void {
    if (output.costUsd !== undefined) this.costUsd = (this.costUsd ?? 0) + output.costUsd;
    if (output.usage?.inputTokens !== undefined) this.inputTokens = (this.inputTokens ?? 0) + output.usage.inputTokens;
    if (output.usage?.outputTokens !== undefined) this.outputTokens = (this.outputTokens ?? 0) + output.usage.outputTokens;
  }

  outcome(transcript: Transcript, error: string | undefined): ConversationOutcome {
    // Latency counts cached turns too (their recorded latency), as a cached single-turn result does.
    const latencyMs = transcript.turns.reduce((sum, t) => sum + t.latencyMs, 0);
    const usage = this.inputTokens === undefined && this.outputTokens === undefined ? undefined : { ...(this.inputTokens === undefined ? {} : { inputTokens: this.inputTokens }), ...(this.outputTokens === undefined ? {} : { outputTokens: this.outputTokens }) };
    return {
      transcript,
      latencyMs,
      ...(this.costUsd === undefined ? {} : { costUsd: this.costUsd }),
      ...(usage === undefined ? {} : { usage }),
      ...(error === undefined ? {} : { error }),
      attempts: this.attempts,
      cached: this.calls === 0 && this.firstSource !== undefined,
      cacheWrites: this.writes,
      ...(this.firstSource === undefined ? {} : { source: this.firstSource }),
    };
  }
}
