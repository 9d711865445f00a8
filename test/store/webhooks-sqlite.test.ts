import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { describeWebhookContract } from './webhooks-contract.js';

/**
 * The webhook contract on SQLite, a file and memory. No second connection here: better-sqlite3 is
 * synchronous, so two connections in one process wait on each other's lock for the whole busy
 * timeout (separate processes do not; there a claim is one UPDATE under SQLite's write lock).
 */
describeWebhookContract('sqlite file', async () => ({ store: await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-webhooks-')), 'evalops.db')}`) }));
describeWebhookContract('sqlite memory', async () => ({ store: await openStore(':memory:') }));
