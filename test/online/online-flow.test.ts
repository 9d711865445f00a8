import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { onlineFlowSuite } from './online-flow.js';

onlineFlowSuite('SQLite', () => openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-online-')), 'db.sqlite')}`));
