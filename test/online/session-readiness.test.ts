import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { sessionReadinessSuite } from './session-readiness.js';

sessionReadinessSuite('SQLite', () => openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-sessions-')), 'db.sqlite')}`));
