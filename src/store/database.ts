import type { Generated } from 'kysely';

/**
 * The Kysely schema: one set of tables and queries for SQLite and PostgreSQL. JSON values are stored
 * as text and read back through zod; timestamps are ISO-8601 text; booleans are 0/1 integers. This
 * keeps one query set portable across both dialects.
 */
export interface Database {
  projects: ProjectsTable;
  datasets: DatasetsTable;
  dataset_versions: DatasetVersionsTable;
  examples: ExamplesTable;
  runs: RunsTable;
  run_subsets: RunSubsetsTable;
  results: ResultsTable;
  scores: ScoresTable;
  response_cache: ResponseCacheTable;
  gate_decisions: GateDecisionsTable;
  overrides: OverridesTable;
  releases: ReleasesTable;
  release_names: ReleaseNamesTable;
  release_configs: ReleaseConfigsTable;
  audit_log: AuditLogTable;
  spans: SpansTable;
  span_sessions: SpanSessionsTable;
  feedback: FeedbackTable;
  api_keys: ApiKeysTable;
  review_queues: ReviewQueuesTable;
  review_items: ReviewItemsTable;
  review_assignments: ReviewAssignmentsTable;
  review_labels: ReviewLabelsTable;
  review_skips: ReviewSkipsTable;
  gold_sets: GoldSetsTable;
  gold_items: GoldItemsTable;
  calibrations: CalibrationsTable;
  online_rules: OnlineRulesTable;
  online_jobs: OnlineJobsTable;
  online_traces: OnlineTracesTable;
  online_scores: OnlineScoresTable;
  monitors: MonitorsTable;
  alerts: AlertsTable;
  rollback_rules: RollbackRulesTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  web_sessions: WebSessionsTable;
  online_sessions: OnlineSessionsTable;
}

export interface ProjectsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface DatasetsTable {
  id: string;
  project_id: string;
  name: string;
  created_at: string;
}

export interface DatasetVersionsTable {
  id: string;
  dataset_id: string;
  hash: string;
  example_count: number;
  source_path: string | null;
  created_at: string;
}

export interface ExamplesTable {
  version_id: string;
  id: string;
  position: number;
  input: string;
  expected: string | null;
  metadata: string;
  slices: string;
  source: string;
  /** JSON of the example's ConversationSpec; null for a single-turn example. */
  conversation: string | null;
}

/** The subset a run ran on (none: the whole dataset). */
export interface RunSubsetsTable {
  run_id: string;
  project_id: string;
  name: string;
  /** JSON: RunSubset. */
  description: string;
  /** JSON: string[]. */
  example_ids: string;
}

export interface RunsTable {
  id: string;
  project_id: string;
  dataset_version_id: string;
  target_type: string;
  target_variant: string;
  /** A readable name of the target (model, module path and export, command, URL); null on older runs. */
  target_label: string | null;
  /** JSON: the metric definitions the run was scored with (name, owner, failure class, scorer). */
  metrics: string;
  labels: string;
  repeat: number;
  status: string;
  error: string | null;
  started_at: string;
  finished_at: string | null;
  heartbeat_at: string;
  /** JSON: the summary computed when the run finished. */
  summary: string | null;
}

export interface ResultsTable {
  run_id: string;
  example_id: string;
  trial: number;
  output: string | null;
  tool_calls: string;
  latency_ms: number;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  error: string | null;
  cached: number;
  attempts: number;
  created_at: string;
}

export interface ScoresTable {
  run_id: string;
  example_id: string;
  trial: number;
  metric: string;
  status: string;
  value: number | null;
  pass: number | null;
  label: string | null;
  reason: string | null;
  scorer_version: string;
}

export interface ResponseCacheTable {
  key: string;
  target_variant: string;
  value: string;
  created_at: string;
  hits: Generated<number>;
}

export interface GateDecisionsTable {
  id: string;
  project_id: string;
  candidate_run_id: string;
  baseline_run_id: string | null;
  /** approve | require_approval | narrow | block */
  outcome: string;
  rollout_percent: number | null;
  /** JSON: the full decision document (findings, evidence, owners, warnings, comparison summary). */
  document: string;
  created_at: string;
}

export interface OverridesTable {
  id: string;
  decision_id: string;
  actor: string;
  role: string;
  reason: string;
  evidence_url: string;
  /** The outcome the override sets (approve, or narrow with a percentage). */
  outcome: string;
  /** The percentage of an override to narrow; null otherwise. */
  rollout_percent: number | null;
  created_at: string;
}

export interface ReleaseNamesTable {
  project_id: string;
  name: string;
  release_id: string;
  created_by: string;
  created_at: string;
}

export interface ReleasesTable {
  id: string;
  project_id: string;
  target_variant: string;
  /** candidate | approved | canary | live | rolled_back */
  status: string;
  canary_percent: number | null;
  candidate_run_id: string | null;
  decision_id: string | null;
  created_at: string;
  updated_at: string;
  /** The release's config (release_configs.hash), null when it has none. */
  config_hash: string | null;
}

export interface ReleaseConfigsTable {
  project_id: string;
  hash: string;
  /** The config as canonical JSON. */
  config: string;
  created_by: string;
  created_at: string;
}

export interface AuditLogTable {
  /** Position in the project's chain, from 1, gap-free. */
  seq: number;
  project_id: string;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

export interface ApiKeysTable {
  id: string;
  /** 8 characters of the key after `eo_`; not secret, unique, the lookup key. */
  prefix: string;
  /** SHA-256 hex of the whole key; never leaves the repository except for verification. */
  hash: string;
  /** null only for an instance-wide admin key. */
  project_id: string | null;
  /** ingest | viewer | reviewer | engineer | owner | admin */
  role: string;
  name: string | null;
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}

export interface SpansTable {
  project_id: string;
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: string;
  status: string;
  start_time_ms: number;
  end_time_ms: number;
  duration_ms: number;
  model: string | null;
  session_id: string | null;
  user_id: string | null;
  release: string | null;
  service_name: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  /** JSON: the whole domain span (mapped fields, every attribute, resource, events). */
  document: string;
  received_at: string;
  /** JSON: the span's `evalops.slice.*` attributes, keys sorted (null: none), read by coverage. */
  slice_attributes: string | null;
}

/** One row per session a span has named (migration 027), kept by a trigger on span inserts. */
export interface SpanSessionsTable {
  project_id: string;
  session_id: string;
  /** Earliest start of a span naming the session. */
  first_start_ms: number;
  /** Latest end of a span naming the session: its last activity. */
  last_end_ms: number;
}

export interface FeedbackTable {
  id: string;
  project_id: string;
  trace_id: string;
  /** thumbs | text | signal */
  kind: string;
  /** thumbs: 1 up, 0 down; signal: its numeric value; text: null. */
  value: number | null;
  /** signal name (e.g. frustration, drop_off) or a label. */
  name: string | null;
  comment: string | null;
  user_id: string | null;
  created_at: string;
}

export interface ReviewQueuesTable {
  id: string;
  project_id: string;
  name: string;
  metric: string;
  /** JSON: labels with definitions, pass labels, ordinal. */
  rubric: string;
  /** JSON: reviewer names; empty: any reviewer. */
  reviewers: string;
  reviewers_per_item: number;
  /** Minutes an unlabelled assignment holds its item before it returns to the queue. */
  lease_minutes: number;
  created_by: string;
  created_at: string;
}

export interface ReviewItemsTable {
  id: string;
  queue_id: string;
  project_id: string;
  item_key: string;
  /** result | trace */
  source: string;
  run_id: string | null;
  example_id: string | null;
  trace_id: string | null;
  reason: string;
  /** JSON: what the reviewer sees. */
  payload: string;
  position: number;
  assigned: number;
  labelled: number;
  truth: string | null;
  /** `consensus` or the adjudicator's name. */
  truth_by: string | null;
  created_at: string;
}

/** Items a reviewer passed on: never offered to them again. */
export interface ReviewSkipsTable {
  item_id: string;
  queue_id: string;
  reviewer: string;
  skipped_at: string;
}

export interface ReviewAssignmentsTable {
  item_id: string;
  queue_id: string;
  reviewer: string;
  assigned_at: string;
  labelled_at: string | null;
}

export interface ReviewLabelsTable {
  item_id: string;
  queue_id: string;
  reviewer: string;
  label: string;
  note: string | null;
  seconds: number | null;
  created_at: string;
}

export interface GoldSetsTable {
  id: string;
  project_id: string;
  metric: string;
  version: number;
  hash: string;
  item_count: number;
  rubric: string;
  created_by: string;
  created_at: string;
}

export interface GoldItemsTable {
  gold_set_id: string;
  position: number;
  item_key: string;
  payload: string;
  label: string;
}

export interface CalibrationsTable {
  id: string;
  project_id: string;
  metric: string;
  judge_version: string;
  gold_set_id: string;
  status: string;
  kappa: number | null;
  n: number;
  report: string;
  created_by: string;
  created_at: string;
}

export interface OnlineRulesTable {
  id: string;
  project_id: string;
  name: string;
  spec: string;
  enabled: number;
  cursor_at: string;
  cursor_trace: string;
  budget_spent_day: string | null;
  created_at: string;
  updated_at: string;
}

export interface OnlineJobsTable {
  id: string;
  queue: string;
  key: string;
  data: string;
  state: string;
  attempts: number;
  run_after_ms: number;
  locked_until_ms: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface OnlineTracesTable {
  rule_id: string;
  trace_id: string;
  project_id: string;
  sampled: number;
  flags: string;
  release: string | null;
  cohort: string;
  trace_start_ms: number;
  latency_ms: number;
  cost_usd: number | null;
  error: number;
  scoring_cost_usd: number;
  scored_at: string;
}

export interface OnlineScoresTable {
  rule_id: string;
  trace_id: string;
  metric: string;
  project_id: string;
  span_id: string | null;
  sampled: number;
  release: string | null;
  trace_start_ms: number;
  status: string;
  value: number | null;
  pass: number | null;
  label: string | null;
  reason: string | null;
  scorer_version: string;
}

export interface MonitorsTable {
  id: string;
  project_id: string;
  name: string;
  spec: string;
  enabled: number;
  last_evaluation: string | null;
  evaluated_at: string | null;
  created_at: string;
  updated_at: string;
  paused_at: string | null;
  paused_by: string | null;
  pause_reason: string | null;
  /** After a rollback rule acted: the monitor reads its cohort's traces from here on only. */
  evaluate_from_ms: number | null;
}

export interface AlertsTable {
  id: string;
  project_id: string;
  monitor_id: string | null;
  rule_id: string | null;
  kind: string;
  dedupe_key: string;
  status: string;
  severity: string;
  title: string;
  evidence: string;
  opened_at: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  acknowledgement: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution: string | null;
  /** acted | recovered | manual (src/core/monitor/alert-lifecycle.ts); null while unresolved. */
  resolved_as: string | null;
  updated_at: string;
}

export interface RollbackRulesTable {
  id: string;
  project_id: string;
  release_id: string;
  monitor_id: string;
  action: string;
  percent: number | null;
  created_by: string;
  created_at: string;
}

export interface WebhooksTable {
  id: string;
  project_id: string;
  name: string;
  url: string;
  secret: string;
  events: string;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  project_id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  payload: string;
  status: string;
  attempts: number;
  round_start_attempts: number;
  next_attempt_ms: number;
  first_attempt_ms: number | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface WebhookAttemptsTable {
  delivery_id: string;
  attempt: number;
  at: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface WebSessionsTable {
  /** SHA-256 (hex) of the session id; the id itself is only in the browser's cookie. */
  id_hash: string;
  key_id: string;
  created_at: string;
  expires_ms: number;
}

export interface OnlineSessionsTable {
  rule_id: string;
  session_id: string;
  project_id: string;
  seen_traces: number;
  last_seen_at: string;
  ended: number;
  pending: number;
  scored_traces: number | null;
  scored_at: string | null;
  scorings: number;
}
