import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { coverageContract } from './coverage-contract.js';

coverageContract('SQLite', () => openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-coverage-')), 'db.sqlite')}`));
