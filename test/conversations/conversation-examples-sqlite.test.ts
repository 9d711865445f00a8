import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { describeConversationExamplesContract } from './conversation-examples-contract.js';

const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-conv-')), 'evalops.db')}`;

describeConversationExamplesContract('sqlite file', () => openStore(url));
