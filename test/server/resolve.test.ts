import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { describeResolveContract } from './resolve-contract.js';

const file = join(mkdtempSync(join(tmpdir(), 'evalops-resolve-')), 'evalops.db');

describeResolveContract('sqlite file', () => ({ env: { EVALOPS_DATABASE_URL: `sqlite:${file}` }, open: () => openStore(`sqlite:${file}`) }));
