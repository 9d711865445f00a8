import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Production monitoring: online rules (filter, sampling, metrics, flags) with their sweep cursor,
 * the embedded job queue (PostgreSQL uses pg-boss's own tables instead), scored traces and their
 * scores (one row per rule and trace, and per rule, trace and metric: a job run twice stores one
 * score), monitors, alerts (at most one unresolved alert per dedupe key) and rollback rules binding a
 * release to a monitor.
 */
export const onlineMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('online_rules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      /** JSON: the rule's spec (filter, sample rate, metrics, flags, queue, budget). */
      .addColumn('spec', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      /** Sweep position over root spans: (received_at, trace_id) of the last trace considered. */
      .addColumn('cursor_at', 'text', (c) => c.notNull())
      .addColumn('cursor_trace', 'text', (c) => c.notNull())
      /** The UTC day (YYYY-MM-DD) whose cost budget is spent, or null. */
      .addColumn('budget_spent_day', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('online_rules_project_name', ['project_id', 'name'])
      .execute();
    // The sweep reads root spans in arrival order; only root spans are in the index.
    await db.schema
      .createIndex('spans_project_received_root')
      .on('spans')
      .columns(['project_id', 'received_at', 'trace_id'])
      .where(sql.ref('parent_span_id'), 'is', null)
      .execute();
    await db.schema
      .createTable('online_jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('queue', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      /** created → active → completed, or back to created with a later run_after (retry), or failed (dead letter). */
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('run_after_ms', 'double precision', (c) => c.notNull())
      .addColumn('locked_until_ms', 'double precision')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('online_jobs_queue_key', ['queue', 'key'])
      .execute();
    await db.schema.createIndex('online_jobs_due').on('online_jobs').columns(['queue', 'state', 'run_after_ms']).execute();
    await db.schema
      .createTable('online_traces')
      .addColumn('rule_id', 'text', (c) => c.notNull().references('online_rules.id'))
      .addColumn('trace_id', 'text', (c) => c.notNull())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      /** 1 when picked by the sample (counts in the time series), 0 when picked only by a flag. */
      .addColumn('sampled', 'integer', (c) => c.notNull())
      /** JSON array of flag names. */
      .addColumn('flags', 'text', (c) => c.notNull())
      .addColumn('release', 'text')
      /** JSON: cohort attributes of the root span (variant, prompt version, slices). */
      .addColumn('cohort', 'text', (c) => c.notNull())
      .addColumn('trace_start_ms', 'double precision', (c) => c.notNull())
      .addColumn('latency_ms', 'double precision', (c) => c.notNull())
      .addColumn('cost_usd', 'double precision')
      .addColumn('error', 'integer', (c) => c.notNull())
      /** What the rule's judges cost on this trace, counted against the rule's budget. */
      .addColumn('scoring_cost_usd', 'double precision', (c) => c.notNull())
      .addColumn('scored_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('online_traces_pk', ['rule_id', 'trace_id'])
      .execute();
    await db.schema.createIndex('online_traces_rule_start').on('online_traces').columns(['rule_id', 'trace_start_ms']).execute();
    await db.schema.createIndex('online_traces_rule_scored').on('online_traces').columns(['rule_id', 'scored_at']).execute();
    await db.schema
      .createTable('online_scores')
      .addColumn('rule_id', 'text', (c) => c.notNull().references('online_rules.id'))
      .addColumn('trace_id', 'text', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('span_id', 'text')
      .addColumn('sampled', 'integer', (c) => c.notNull())
      .addColumn('release', 'text')
      .addColumn('trace_start_ms', 'double precision', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('value', 'double precision')
      .addColumn('pass', 'integer')
      .addColumn('label', 'text')
      .addColumn('reason', 'text')
      .addColumn('scorer_version', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('online_scores_pk', ['rule_id', 'trace_id', 'metric'])
      .execute();
    await db.schema.createIndex('online_scores_series').on('online_scores').columns(['rule_id', 'metric', 'trace_start_ms']).execute();
    await db.schema.createIndex('online_scores_trace').on('online_scores').columns(['project_id', 'trace_id']).execute();
    await db.schema
      .createTable('monitors')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('spec', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      /** JSON: the last evaluation (firing, statistic, evidence), for lists and the UI. */
      .addColumn('last_evaluation', 'text')
      .addColumn('evaluated_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('monitors_project_name', ['project_id', 'name'])
      .execute();
    await db.schema
      .createTable('alerts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('monitor_id', 'text')
      .addColumn('rule_id', 'text')
      /** `monitor` (a monitor fired) or `budget` (an online rule spent its cost budget). */
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('dedupe_key', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      /** JSON: what moved, by how much, since when, the cohort, example traces, commands, actions taken. */
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'text', (c) => c.notNull())
      .addColumn('acknowledged_by', 'text')
      .addColumn('acknowledged_at', 'text')
      /** The note left when acknowledging ("looking at it", a ticket link). */
      .addColumn('acknowledgement', 'text')
      .addColumn('resolved_by', 'text')
      .addColumn('resolved_at', 'text')
      .addColumn('resolution', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // Deduplication: one unresolved alert per key, whatever process tries to open another.
    await db.schema
      .createIndex('alerts_one_unresolved')
      .on('alerts')
      .columns(['project_id', 'dedupe_key'])
      .unique()
      .where(sql.ref('status'), '<>', 'resolved')
      .execute();
    await db.schema.createIndex('alerts_project_opened').on('alerts').columns(['project_id', 'opened_at']).execute();
    await db.schema
      .createTable('rollback_rules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('release_id', 'text', (c) => c.notNull().references('releases.id'))
      .addColumn('monitor_id', 'text', (c) => c.notNull().references('monitors.id'))
      /** `rollback` (to rolled_back) or `narrow` (canary down to `percent`). */
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('percent', 'integer')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('rollback_rules_release_monitor', ['release_id', 'monitor_id'])
      .execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    for (const t of ['rollback_rules', 'alerts', 'monitors', 'online_scores', 'online_traces', 'online_jobs', 'online_rules']) await db.schema.dropTable(t).execute();
    await db.schema.dropIndex('spans_project_received_root').execute();
  },
};
