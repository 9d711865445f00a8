import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { ingestContract } from './ingest-contract.js';

/** The ingest integration suite on the embedded SQLite store. */
ingestContract('SQLite', () => openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-ingest-')), 'db.sqlite')}`));
