import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { describeReviewContract } from './review-contract.js';

describeReviewContract('sqlite file', () => openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-review-')), 'evalops.db')}`));
describeReviewContract('sqlite memory', () => openStore(':memory:'));
