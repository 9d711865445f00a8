import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { describeAuditContract } from './audit-contract.js';
import { describeReleasesContract } from './releases-contract.js';

const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-audit-')), 'evalops.db')}`;

describeAuditContract('sqlite file', () => openStore(url), { url });
describeReleasesContract('sqlite file', () => openStore(url));
describeAuditContract('sqlite memory', () => openStore(':memory:'));
describeReleasesContract('sqlite memory', () => openStore(':memory:'));
