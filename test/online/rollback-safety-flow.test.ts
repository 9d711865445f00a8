import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { rollbackSafetySuite } from './rollback-safety-flow.js';

rollbackSafetySuite('SQLite', () => openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-rollback-safety-')), 'db.sqlite')}`));
