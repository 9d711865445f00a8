import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { describeApiKeysContract } from './api-keys-contract.js';

/** The API key contract on SQLite: a fresh file per database (shared with child processes), and in memory. */
const dir = mkdtempSync(join(tmpdir(), 'evalops-keys-'));
let n = 0;

describeApiKeysContract(
  'sqlite file',
  async (options = {}) => {
    const url = `sqlite:${join(dir, `keys-${(n += 1)}.db`)}`;
    return { store: await openStore(url, options), shared: { url } };
  },
  { processes: true },
);
describeApiKeysContract('sqlite memory', async (options = {}) => ({ store: await openStore(':memory:', options) }), { processes: false });
