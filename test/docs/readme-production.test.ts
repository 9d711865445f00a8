import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.js';
import { readmeProductionSuite } from './readme-production.js';

/** The README's production walkthrough, verbatim, on SQLite (`evalops serve` runs the worker). */
readmeProductionSuite(() => {
  const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-readme-')), 'evalops.db')}`;
  return { name: 'sqlite', env: { EVALOPS_DATABASE_URL: url }, openStore: () => openStore(url) };
});
