import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { spanRetentionContract } from './span-retention-contract.js';

/** Span retention on SQLite (batched deletes), a file database with the writer thread. */
const dir = mkdtempSync(join(tmpdir(), 'evalops-retention-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
spanRetentionContract('SQLite', () => openStore(`sqlite:${join(dir, 'evalops.db')}`));
