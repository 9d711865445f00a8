import { Migrator, sql, type Kysely } from 'kysely';
import { EvalOpsError } from '../core/errors.js';
import { ApiKeyRepository } from './api-key-repository.js';
import { AuditRepository } from './audit-repository.js';
import { CacheRepository } from './cache-repository.js';
import type { Database } from './database.js';
import { DatasetRepository } from './dataset-repository.js';
import { GateDecisionRepository } from './gate-decision-repository.js';
import { migrationProvider } from './migrations/migrations.js';
import { openPostgres } from './postgres/open-postgres.js';
import { ProjectRepository } from './project-repository.js';
import { ReleaseRepository } from './release-repository.js';
import { RunRepository } from './run-repository.js';
import { SpanRepository } from './span-repository.js';
import { FeedbackRepository } from './feedback-repository.js';
import { CalibrationRepository } from './calibration-repository.js';
import { GoldSetRepository } from './gold-set-repository.js';
import { ReviewRepository } from './review-repository.js';
import { AlertRepository } from './alert-repository.js';
import { MonitorRepository } from './monitor-repository.js';
import { OnlineRuleRepository } from './online-rule-repository.js';
import { OnlineScoreRepository } from './online-score-repository.js';
import { OnlineSessionRepository } from './online-session-repository.js';
import { RollbackRuleRepository } from './rollback-rule-repository.js';
import { openSqliteConnection } from './sqlite/open-sqlite.js';
import { sqliteScoreColumns } from './sqlite/sqlite-score-columns.js';
import { sqliteResultWriter, type ResultWriter } from './sqlite/sqlite-result-writer.js';
import { sqliteExampleWriter, type ExampleRowsWriter } from './sqlite/sqlite-example-writer.js';
import type { ScoreColumnsReader } from './score-columns-reader.js';
import { ReleaseConfigRepository } from './release-config-repository.js';
import { WebhookRepository } from './webhook-repository.js';
import { WebSessionRepository } from './web-session-repository.js';
import { SubsetRepository } from './subset-repository.js';

export type Dialect = 'sqlite' | 'postgres';

/** The storage of one EvalOps instance: the repositories over one database, migrated on open. */
export interface Store {
  readonly dialect: Dialect;
  /** Where the store lives (URL and PostgreSQL schema), for components with their own connections (the pg-boss queue). */
  readonly location: { readonly url: string; readonly schema: string | undefined };
  readonly db: Kysely<Database>;
  readonly projects: ProjectRepository;
  readonly datasets: DatasetRepository;
  readonly runs: RunRepository;
  readonly cache: CacheRepository;
  readonly decisions: GateDecisionRepository;
  readonly spans: SpanRepository;
  readonly feedback: FeedbackRepository;
  readonly audit: AuditRepository;
  readonly releases: ReleaseRepository;
  /** Release configs (prompts, model, tools, data) bound to releases, and what resolvers read. */
  readonly releaseConfigs: ReleaseConfigRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly reviews: ReviewRepository;
  readonly goldSets: GoldSetRepository;
  readonly calibrations: CalibrationRepository;
  readonly onlineRules: OnlineRuleRepository;
  readonly onlineScores: OnlineScoreRepository;
  /** Production sessions as session rules see them: readiness and scoring state (migration 021). */
  readonly onlineSessions: OnlineSessionRepository;
  readonly monitors: MonitorRepository;
  readonly alerts: AlertRepository;
  readonly rollbackRules: RollbackRuleRepository;
  readonly webhooks: WebhookRepository;
  /** Sign-in sessions of the web UI (the cookie's opaque id, hashed). */
  readonly webSessions: WebSessionRepository;
  /** The subsets runs ran on (`evalops run --subset`). */
  readonly subsets: SubsetRepository;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** PostgreSQL schema (created if missing). */
  readonly schema?: string;
  readonly now?: () => number;
}

/**
 * Opens the store named by a URL: `sqlite:PATH` (or a bare path, or `:memory:`) for the embedded
 * default, `postgres://…` / `postgresql://…` for PostgreSQL. Runs pending migrations.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const dialect: Dialect = /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
  let db: Kysely<Database>;
  let fast: { readScoreColumns?: ScoreColumnsReader; writeResults?: ResultWriter; writeExamples?: ExampleRowsWriter } = {};
  try {
    if (dialect === 'postgres') db = await openPostgres(url, options.schema ? { schema: options.schema } : {});
    else {
      const opened = await openSqliteConnection(url.replace(/^sqlite:(\/\/)?/, ''));
      db = opened.db;
      fast = { readScoreColumns: sqliteScoreColumns(opened.sqlite), writeResults: sqliteResultWriter(opened.sqlite), writeExamples: sqliteExampleWriter(opened.sqlite) };
    }
    await sql`select 1`.execute(db); // fail here, with a plain message, when the server is unreachable
    await migrate(db, dialect === 'postgres' ? options.schema : undefined);
  } catch (cause) {
    if (cause instanceof EvalOpsError) throw cause;
    throw new EvalOpsError('infrastructure', `cannot open the ${dialect} database: ${(cause as Error).message}`, { cause, retryable: true });
  }
  const audit = new AuditRepository(db, dialect, options.now);
  const releases = new ReleaseRepository(db, audit, dialect, options.now);
  return {
    dialect,
    location: { url, schema: options.schema },
    db,
    projects: new ProjectRepository(db),
    datasets: new DatasetRepository(db, fast.writeExamples),
    runs: new RunRepository(db, options.now, fast),
    cache: new CacheRepository(db),
    decisions: new GateDecisionRepository(db, dialect),
    spans: new SpanRepository(db),
    feedback: new FeedbackRepository(db),
    audit,
    releases,
    releaseConfigs: new ReleaseConfigRepository(db, audit, releases, options.now),
    apiKeys: new ApiKeyRepository(db, audit, dialect, options.now),
    reviews: new ReviewRepository(db, options.now, dialect),
    goldSets: new GoldSetRepository(db, options.now),
    calibrations: new CalibrationRepository(db, options.now),
    onlineRules: new OnlineRuleRepository(db, options.now),
    onlineScores: new OnlineScoreRepository(db),
    onlineSessions: new OnlineSessionRepository(db),
    monitors: new MonitorRepository(db, options.now),
    alerts: new AlertRepository(db, options.now),
    rollbackRules: new RollbackRuleRepository(db, audit, options.now),
    webhooks: new WebhookRepository(db, dialect, options.now),
    webSessions: new WebSessionRepository(db, options.now),
    subsets: new SubsetRepository(db),
    close: () => db.destroy(),
  };
}

async function migrate(db: Kysely<Database>, schema: string | undefined): Promise<void> {
  // Kysely looks for its bookkeeping tables across all schemas unless told which one is ours.
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    migrationTableName: 'evalops_migrations',
    migrationLockTableName: 'evalops_migrations_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new EvalOpsError('infrastructure', `database migration failed: ${(error as Error).message}`, { cause: error });
}
