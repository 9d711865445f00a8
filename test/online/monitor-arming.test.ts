import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { monitorArmingSuite } from './monitor-arming.js';

monitorArmingSuite('SQLite', () => openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-arming-')), 'db.sqlite')}`));
