import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('sqlite file', () => openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-store-')), 'evalops.db')}`));
describeStoreContract('sqlite memory', () => openStore(':memory:'));
