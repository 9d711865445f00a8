import type { Kysely } from 'kysely';
import type { FeedbackRecord, NewFeedback } from '../core/feedback.js';
import type { Database } from './database.js';
import { newId } from './ids.js';

/** Feedback on traces. */
export class FeedbackRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async add(projectId: string, traceId: string, feedback: NewFeedback): Promise<FeedbackRecord> {
    const record: FeedbackRecord = {
      id: newId('fb'),
      traceId,
      kind: feedback.kind,
      value: feedback.kind === 'thumbs' ? (feedback.value === 'up' ? 1 : 0) : feedback.kind === 'signal' ? feedback.value : null,
      name: feedback.kind === 'signal' ? feedback.name : null,
      comment: feedback.comment ?? null,
      userId: feedback.userId ?? null,
      createdAt: new Date().toISOString(),
    };
    await this.db
      .insertInto('feedback')
      .values({ id: record.id, project_id: projectId, trace_id: traceId, kind: record.kind, value: record.value, name: record.name, comment: record.comment, user_id: record.userId, created_at: record.createdAt })
      .execute();
    return record;
  }

  async forTrace(projectId: string, traceId: string): Promise<FeedbackRecord[]> {
    return this.forTraces(projectId, [traceId]);
  }

  /** Feedback on any of these traces, oldest first. */
  async forTraces(projectId: string, traceIds: readonly string[]): Promise<FeedbackRecord[]> {
    const rows = [];
    for (let i = 0; i < traceIds.length; i += 500) {
      // Chunked, so a long list stays under the databases' bound-parameter limits.
      const chunk = traceIds.slice(i, i + 500);
      rows.push(...(await this.db.selectFrom('feedback').selectAll().where('project_id', '=', projectId).where('trace_id', 'in', chunk).orderBy('created_at').orderBy('id').execute()));
    }
    return rows.map((r) => ({
      id: r.id,
      traceId: r.trace_id,
      kind: r.kind as FeedbackRecord['kind'],
      value: r.value === null ? null : Number(r.value),
      name: r.name,
      comment: r.comment,
      userId: r.user_id,
      createdAt: r.created_at,
    })).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }
}
