import { EvalOpsError } from '../core/errors.js';
import type { Example } from '../core/example.js';
import { sessionTranscript } from '../core/online/session-transcript.js';
import type { Transcript } from '../core/transcript.js';
import { addExamples } from '../datasets/add-examples.js';
import { sessionTraces } from './session-traces.js';
import type { DatasetVersionRecord } from '../store/dataset-repository.js';
import type { OnlineScoreRecord } from '../store/online-score-repository.js';
import { sessionScoreKey } from '../store/online-session-repository.js';
import type { Store } from '../store/store.js';

/**
 * Production sessions as conversations: a session's traces as a transcript with what the session
 * rules made of it, and promotion of a session into a conversation example (the flywheel's way from a
 * production conversation back into a dataset).
 */

/** What one session rule made of a session. */
export interface SessionRuleView {
  readonly rule: string;
  /** Traces arrived that no scoring covers yet. */
  readonly pending: boolean;
  /** A span ended the session (evalops.session.end) since its last scoring. */
  readonly ended: boolean;
  readonly scorings: number;
  readonly scoredAt: string | null;
  /** The traces the latest scoring covered. */
  readonly scoredTraces: number | null;
  /** Null when the latest scoring stored no scores (the session was neither sampled nor flagged). */
  readonly sampled: boolean | null;
  readonly flags: readonly string[];
  readonly scores: readonly OnlineScoreRecord[];
}

export interface SessionTranscriptView {
  readonly sessionId: string;
  readonly traceIds: readonly string[];
  readonly transcript: Transcript;
  readonly rules: readonly SessionRuleView[];
}

/** A session's traces as a transcript (one turn per trace), with every session rule's state and scores. */
export async function sessionTranscriptView(store: Store, projectName: string, sessionId: string): Promise<SessionTranscriptView> {
  const projectId = await projectIdOf(store, projectName);
  const traces = await sessionTraces(store, projectId, sessionId);
  if (traces.length === 0) throw new EvalOpsError('not_found', `session "${sessionId}" not found in project ${projectName}`);
  const states = await store.onlineSessions.forSession(projectId, sessionId);
  const scored = new Map((await store.onlineScores.forTrace(projectId, sessionScoreKey(sessionId))).map((t) => [t.ruleId, t]));
  const names = new Map((await store.onlineRules.list(projectId)).map((r) => [r.id, r.name]));
  return {
    sessionId,
    traceIds: traces.map((t) => (t.find((s) => s.parentSpanId === undefined) ?? t[0]!).traceId),
    transcript: sessionTranscript(traces),
    rules: states.map((s) => {
      const record = scored.get(s.ruleId);
      return {
        rule: names.get(s.ruleId) ?? s.ruleId,
        pending: s.pending,
        ended: s.ended,
        scorings: s.scorings,
        scoredAt: s.scoredAt,
        scoredTraces: s.scoredTraces,
        sampled: record ? record.sampled : null,
        flags: record ? [...record.flags] : [],
        scores: record ? record.scores : [],
      };
    }),
  };
}

export interface PromoteSessionResult {
  readonly dataset: string;
  readonly version: DatasetVersionRecord;
  readonly created: boolean;
  readonly exampleId: string;
  readonly turns: number;
  readonly examples: number;
}

/**
 * Promotes a session into a conversation example of a new dataset version: its user turns, replayed
 * turn by turn against a target (`conversation: { kind: 'turns' }`), the first user message as
 * `input`, `source: trace`. Provenance (session id, trace ids) and the user turns themselves go to
 * `metadata.session`, so the example is complete where a store keeps no `conversation` field. The id is
 * `session_<id>`: promoting the session again (after it grew) replaces the example.
 */
export async function promoteSession(store: Store, projectName: string, sessionId: string, datasetName: string): Promise<PromoteSessionResult> {
  const projectId = await projectIdOf(store, projectName);
  const traces = await sessionTraces(store, projectId, sessionId);
  if (traces.length === 0) throw new EvalOpsError('not_found', `session "${sessionId}" not found in project ${projectName}`);
  const example = sessionExample(sessionId, sessionTranscript(traces), traces.map((t) => (t.find((s) => s.parentSpanId === undefined) ?? t[0]!).traceId));
  const { version, created, examples } = await addExamples(store, projectId, datasetName, [example], `session:${sessionId}`);
  return { dataset: datasetName, version, created, exampleId: example.id, turns: example.conversation?.kind === 'turns' ? example.conversation.turns.length : 0, examples };
}

/**
 * A session's transcript → a conversation example of its user turns (empty messages dropped).
 * @example sessionExample('chat-1', transcript, ['4bf9…']).conversation // { kind: 'turns', turns: [{ user: '…' }, …] }
 */
export function sessionExample(sessionId: string, transcript: Transcript, traceIds: readonly string[]): Example {
  const users = transcript.turns.map((t) => t.user).filter((u) => u.trim() !== '');
  if (users.length === 0) throw new EvalOpsError('input', `session "${sessionId}" has no user message to replay`, { location: 'sessionId' });
  return {
    id: `session_${sessionId}`,
    input: users[0]!,
    metadata: { session: { id: sessionId, traceIds: [...traceIds], userTurns: users } },
    slices: [],
    source: 'trace',
    conversation: { kind: 'turns', turns: users.map((user) => ({ user })) },
  };
}

async function projectIdOf(store: Store, name: string): Promise<string> {
  const project = await store.projects.findByName(name);
  if (!project) throw new EvalOpsError('not_found', `project "${name}" not found`);
  return project.id;
}
