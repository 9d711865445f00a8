import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { describeReleaseNamesContract } from './release-names-contract.js';

const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-names-')), 'evalops.db')}`;

describeReleaseNamesContract('sqlite file', () => openStore(url));
