import { listAuditEntries, verifyAuditChain } from './audit-operations.js';
import { getComparedExample, listFlippedExamples } from './compare-detail-operations.js';
import { listWorstTranscripts } from './transcript-pair-operations.js';
import { compareRunsOperation } from './compare-operations.js';
import { getDatasetExample } from './dataset-example-operations.js';
import { diffDatasetVersions, getDatasetVersion, importDatasetVersion, listDatasets } from './dataset-operations.js';
import { decideGate, getGateDecision, listGateDecisions, overrideGateDecision } from './gate-operations.js';
import { createKey, listKeys, revokeKey } from './key-operations.js';
import type { Operation } from './operation.js';
import { planGateOperation } from './plan-operations.js';
import { datasetCoverageOperation, datasetStalenessOperation } from './coverage-operations.js';
import { runPlaygroundOperation } from './playground-operations.js';
import { listProjects } from './project-operations.js';
import { getRelease, listReleases, listUnknownReleases, nameRelease, promoteRelease, rollbackRelease } from './release-operations.js';
import { diffReleaseConfigsOperation, getReleaseConfig, setReleaseConfig } from './release-config-operations.js';
import { getRunLatencyHistogram, getRunSlicePassRates } from './run-chart-operations.js';
import { getRun, listRunResults, listRuns } from './run-operations.js';
import { getScorecard, listLifecycleRecommendations } from './scorecard-operations.js';
import { getSessionTranscript, promoteSessionOperation } from './session-operations.js';
import { addTraceFeedback, getSession, getTrace, listSessions, listTraceFeedback, listTraces, promoteTraces } from './trace-operations.js';
import { listRunTrends } from './trend-operations.js';
import { promoteCluster, triageAlert, triageComparison, triageRun, triageTraces } from './triage-operations.js';
import { whoAmI } from './whoami-operation.js';
import { commitGeneratedItems, queueGeneratedItems } from './generate-operations.js';
import { addReviewItems, adjudicateReviewItem, createReviewQueue, attachJudgeVerdicts, getQueueAgreement, getReviewQueue, labelReviewItem, listReviewItems, listReviewQueues, nextReviewItem, promoteReviewItem, releaseReviewItem, skipReviewItem } from './review-operations.js';
import { freezeGoldSet, getGoldSet, getJudgeDrift, getReviewBurden, listCalibrations, listGoldSets, listJudges, recordCalibration } from './calibration-operations.js';

import { getOnlineJobs, getOnlineRule, getOnlineSeries, getTraceOnlineScores, listOnlineRules, listOnlineScores, listScorers, saveOnlineRule, setOnlineRuleEnabled } from './online-operations.js';
import { acknowledgeAlert, evaluateMonitorNow, getAlert, getMonitor, listAlerts, listMonitors, deleteRollbackRule, listRollbackRules, pauseMonitor, resolveAlert, resumeMonitor, saveMonitor, saveRollbackRule } from './monitor-operations.js';
import { createWebhook, deleteWebhook, getWebhookDelivery, listWebhookDeliveries, listWebhooks, replayWebhookDelivery, testWebhook } from './webhook-operations.js';
/**
 * Every operation of the JSON API, in the order the OpenAPI document lists them. The server mounts
 * exactly these; a test checks each is described and guarded.
 */
export const OPERATIONS: readonly Operation[] = [whoAmI, listProjects, listRuns, getRun, listRunResults, getRunSlicePassRates, getRunLatencyHistogram, listRunTrends, compareRunsOperation, listFlippedExamples, getComparedExample, listDatasets, getDatasetVersion, getDatasetExample, diffDatasetVersions, importDatasetVersion, getScorecard, listLifecycleRecommendations, listAuditEntries, verifyAuditChain, decideGate, planGateOperation, listGateDecisions, getGateDecision, overrideGateDecision, listReleases, getRelease, promoteRelease, rollbackRelease, nameRelease, listUnknownReleases, setReleaseConfig, getReleaseConfig, diffReleaseConfigsOperation, createKey, listKeys, revokeKey, listTraces, getTrace, addTraceFeedback, listTraceFeedback, listSessions, getSession, promoteTraces, listReviewQueues, createReviewQueue, getReviewQueue, addReviewItems, listReviewItems, nextReviewItem, skipReviewItem, releaseReviewItem, labelReviewItem, adjudicateReviewItem, getQueueAgreement, promoteReviewItem, attachJudgeVerdicts, freezeGoldSet, listGoldSets, getGoldSet, recordCalibration, listCalibrations, listJudges, getJudgeDrift, getReviewBurden, saveOnlineRule, listOnlineRules, getOnlineRule, setOnlineRuleEnabled, listOnlineScores, getTraceOnlineScores, getOnlineSeries, getOnlineJobs, listScorers, saveMonitor, listMonitors, getMonitor, evaluateMonitorNow, pauseMonitor, resumeMonitor, listAlerts, getAlert, acknowledgeAlert, resolveAlert, saveRollbackRule, listRollbackRules, deleteRollbackRule, createWebhook, listWebhooks, deleteWebhook, testWebhook, listWebhookDeliveries, getWebhookDelivery, replayWebhookDelivery, runPlaygroundOperation, triageRun, triageComparison, triageAlert, triageTraces, promoteCluster, listWorstTranscripts, getSessionTranscript, promoteSessionOperation, datasetCoverageOperation, datasetStalenessOperation, queueGeneratedItems, commitGeneratedItems] as unknown as readonly Operation[];

