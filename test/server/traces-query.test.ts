import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { tracesQueryContract } from './traces-query-contract.js';

/** Trace filters, paging and sessions through the API on SQLite. */
tracesQueryContract('SQLite', () => openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-traces-query-')), 'db.sqlite')}`));
