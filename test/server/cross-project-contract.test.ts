import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { crossProjectContract } from './cross-project-contract.js';

/** The cross-project contract on the embedded SQLite store. */
crossProjectContract('SQLite', 'sqlite', () => openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-tenancy-')), 'db.sqlite')}`));
