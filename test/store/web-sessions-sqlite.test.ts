import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { describeWebSessionContract } from './web-sessions-contract.js';

/** The web session contract on an SQLite file (a second connection to it stands for another replica). */
describeWebSessionContract('sqlite file', () => {
  const file = `sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-web-sessions-')), 'evalops.db')}`;
  return { open: (now) => openStore(file, { now }), again: (now) => openStore(file, { now }) };
});
