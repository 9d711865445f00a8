/**
 * The EvalOps SDK: the same engine the CLI runs, exported by name.
 *
 * @example
 * import { defineConfig } from 'evalops';
 * export default defineConfig({ version: 1, project: 'support-bot', target: { type: 'module', path: './agent.ts' }, ... });
 *
 * @example
 * import { loadConfig, openStore, runEvaluation, importModule } from 'evalops';
 * const store = await openStore('sqlite:.evalops/evalops.db');
 * const { summary } = await runEvaluation(await loadConfig('evalops.yaml'), {}, { store, env: process.env, importModule });
 */
export { defineConfig } from './config/define-config.js';
export { loadConfig, type LoadedConfig } from './config/load-config.js';
export { validateConfig } from './config/validate-config.js';
export { EvalOpsConfigSchema, type EvalOpsConfig, type EvalOpsConfigInput } from './config/config-schema.js';
export { importModule } from './config/import-module.js';

export { EvalOpsError, exitCodeForError, type ErrorCode } from './core/errors.js';
export { ExampleSchema, type Example, type ExampleSource } from './core/example.js';
export { MetricSchema, type Metric, type FailureClass, type Lifecycle } from './core/metric.js';
export { ScorerConfigSchema, SCORER_TYPES, type ScorerConfig, type ScorerType } from './core/scorer-config.js';
export { TargetConfigSchema, TARGET_TYPES, type TargetConfig, type TargetType } from './core/target-config.js';
export type { Score, ScoreStatus } from './core/score.js';
export type { TargetOutput, ToolCall, TokenUsage } from './core/target-output.js';
export { RunSummarySchema, type RunSummary, type MetricSummary, type RunStatus } from './core/run.js';
export { wilsonInterval, quantileSorted } from './core/stats.js';

export { loadDatasetFile } from './datasets/load-dataset-file.js';
export { parseDatasetText, type ParsedDataset } from './datasets/parse-dataset-text.js';
export { diffDatasets, type DatasetDiff } from './datasets/diff-datasets.js';

export { createModelPort } from './models/ai-sdk-model-port.js';
export type { ModelPort } from './models/model-port.js';
export { createScorer } from './scorers/create-scorer.js';
export type { Scorer, ScoreInput } from './scorers/scorer.js';
export { createTarget } from './targets/create-target.js';
export type { Target, InvokeContext } from './targets/target.js';

export { runEvaluation, type RunEvaluationOptions, type RunEvaluationResult } from './runner/run-evaluation.js';
export { runWithSummary } from './runner/run-queries.js';
export { openStore, type Store } from './store/store.js';

export { compareRuns, RunComparisonSchema, type RunComparison, type CompareOptions } from './gate/compare-runs.js';
export { runGate, type GateOptions, type GatePolicy } from './gate/gate-service.js';
export { MetricAnnotationSchema, type MetricAnnotation } from './core/gate/metric-annotation.js';
export { overrideDecision, type OverrideRequest, type OverrideResult } from './gate/override-decision.js';
export { buildScorecard, type Scorecard, type ScorecardMetric } from './gate/scorecard.js';
export { renderDecisionMarkdown } from './gate/report-markdown.js';
export { planGate, PlanBodySchema, PlanReportSchema, type PlanBody, type PlanReport } from './gate/plan-gate.js';
export { gateVisibility, visibilityWarnings, GateVisibilitySchema, type GateVisibility, type VisibilityRow } from './core/plan/gate-visibility.js';
export { minimumDetectableEffect, examplesNeeded, powerFor, type PowerDesign } from './core/plan/detectable-effect.js';
export { mcnemarPower, pairedCells } from './core/plan/mcnemar-power.js';
export { graphicalAdjust, primaryGraph, type TestGraph } from './core/stats/graphical-procedure.js';
export { renderDecisionJunit } from './gate/report-junit.js';
export { evaluateGate, type GateEvaluationInput, type GateMetricInfo } from './core/gate/evaluate-gate.js';
export { GateDecisionDocumentSchema, exitCodeForOutcome, type GateDecisionDocument, type GateOutcome, type Finding } from './core/gate/gate-decision.js';
export { GateRuleSchema, GateConfigSchema, type GateRule, type GateConfig } from './core/gate-config.js';
export { compareMetric, verdictFor } from './core/compare-metric.js';
export { adjustComparisons } from './core/stats/adjust-comparisons.js';
export type { MetricComparison, PairedObservation, Verdict } from './core/comparison.js';
export { transition as releaseTransition, ReleaseStatusSchema, type ReleaseState, type ReleaseEvent, type ReleaseStatus } from './core/release.js';
export { verifyChain, type AuditEntry } from './core/audit-chain.js';

export { SpanSchema, type Span, type SpanKind } from './core/span.js';
export { decodeOtlpRequest } from './ingest/decode-otlp-request.js';
export { mapOtlpSpans } from './ingest/map-span.js';
export { createRedactor, type Redactor } from './ingest/redact.js';
export { startServer, type RunningServer, type StartServerOptions } from './server/start-server.js';
export { authenticate } from './auth/authenticate.js';
export { RoleSchema, PermissionSchema, type Role, type Permission } from './auth/roles.js';
export { signWebhook, verifyWebhook } from './core/monitor/webhook-signature.js';
export { OnlineRuleSpecSchema, RequestOnlineRuleSpecSchema, type OnlineRuleSpec } from './core/online/online-rule.js';
export { SESSION_END_ATTRIBUTE, sessionTranscript } from './core/online/session-transcript.js';
export { SessionFlagSpecSchema, sessionFlags, type SessionFlagSpec } from './core/online/session-flags.js';
export { MonitorSpecSchema, type MonitorSpec } from './core/monitor/monitor-spec.js';
export { startOnlineWorker, type OnlineWorkerOptions, type RunningWorker } from './online/online-worker.js';
export { loadRegisteredScorers, NO_REGISTERED_SCORERS, type RegisteredScorer, type RegisteredScorers } from './scorers/registered-scorers.js';

export { createResolver, renderReleasePrompt, type Resolver, type ResolverOptions, type ResolvedConfig, type ResolvedSource } from './resolver/create-resolver.js';
export { ReleaseConfigSchema, releaseConfigHash, releaseConfigVariables, diffReleaseConfigs, type ReleaseConfig, type ReleaseConfigChange } from './core/release-config.js';
export { subjectBucket, bucketRanges, BUCKETS } from './core/subject-bucket.js';
export { resolveSubject, ResolutionTableSchema, BUCKET_ALGORITHM, DEFAULT_TRACK, type ResolutionTable, type Resolution } from './core/resolution-table.js';
