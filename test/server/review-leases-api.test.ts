import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { describeReviewLeasesApi } from './review-leases-api-contract.js';

describeReviewLeasesApi('sqlite', (now) => openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-leases-api-')), 'evalops.db')}`, { now }));
