import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { apiFuzzContract } from './api-fuzz-contract.js';

/** The JSON API fuzz test on the embedded SQLite store. */
apiFuzzContract('SQLite', () => openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-fuzz-')), 'db.sqlite')}`));
