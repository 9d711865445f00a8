import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { describeReviewLeasesContract } from './review-leases-contract.js';

describeReviewLeasesContract('sqlite file', (now) => openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-leases-')), 'evalops.db')}`, { now }));
describeReviewLeasesContract('sqlite memory', (now) => openStore(':memory:', { now }));
