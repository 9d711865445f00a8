import type { Migration, MigrationProvider } from 'kysely';
import { initialMigration } from './001-initial.js';
import { gateMigration } from './002-gate.js';
import { authMigration } from './003-auth.js';
import { spansMigration } from './004-spans.js';
import { feedbackMigration } from './005-feedback.js';
import { spanIngestCostMigration } from './006-span-ingest-cost.js';
import { sessionActivityMigration } from './007-session-activity.js';
import { reviewMigration } from './008-review.js';
import { onlineMigration } from './009-online.js';
import { webhooksMigration } from './010-webhooks.js';
import { webSessionsMigration } from './011-web-sessions.js';
import { releaseNamesMigration } from './012-release-names.js';
import { monitorLifecycleMigration } from './013-monitor-lifecycle.js';
import { releaseConfigsMigration } from './014-release-configs.js';
import { reviewLeasesMigration } from './018-review-leases.js';
import { spanPartitionsMigration } from './025-span-partitions.js';
import { exampleConversationsMigration } from './019-example-conversations.js';
import { onlineSessionsMigration } from './021-online-sessions.js';
import { runSubsetsMigration } from './022-run-subsets.js';
import { spanSliceAttributesMigration } from './026-span-slice-attributes.js';
import { spanSessionsMigration } from './027-span-sessions.js';
import { spanUsersMigration } from './028-span-users.js';

/** Migrations compiled into the package (no files read at run time), in order. */
export const migrationProvider: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    return { '001-initial': initialMigration, '002-gate': gateMigration, '003-auth': authMigration, '004-spans': spansMigration, '005-feedback': feedbackMigration, '006-span-ingest-cost': spanIngestCostMigration, '007-session-activity': sessionActivityMigration, '008-review': reviewMigration, '009-online': onlineMigration, '010-webhooks': webhooksMigration, '011-web-sessions': webSessionsMigration, '012-release-names': releaseNamesMigration, '013-monitor-lifecycle': monitorLifecycleMigration, '014-release-configs': releaseConfigsMigration, '018-review-leases': reviewLeasesMigration, '019-example-conversations': exampleConversationsMigration, '021-online-sessions': onlineSessionsMigration, '022-run-subsets': runSubsetsMigration, '025-span-partitions': spanPartitionsMigration, '026-span-slice-attributes': spanSliceAttributesMigration, '027-span-sessions': spanSessionsMigration, '028-span-users': spanUsersMigration };
  },
};
