import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeReviewFlow } from './review-flow.js';

describeReviewFlow('sqlite', () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-review-db-')), 'evalops.db')}`);
