import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { describeReleaseConfigsContract } from './release-configs-contract.js';

const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-configs-')), 'evalops.db')}`;

describeReleaseConfigsContract('sqlite file', () => openStore(url));
