import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteSpanWriter } from '../../src/store/sqlite/sqlite-span-writer.js';
import { openStore } from '../../src/store/store.js';
import { describeSpanRowSinkContract } from './span-row-sink-contract.js';

describeSpanRowSinkContract('SQLite writer thread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-sink-'));
  const path = join(dir, 'evalops.db');
  const store = await openStore(`sqlite:${path}`);
  const writer = await SqliteSpanWriter.open(path);
  return {
    sink: writer,
    store,
    close: async () => {
      await writer.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeSpanRowSinkContract('SQLite store (in-memory, same thread)', async () => {
  const store = await openStore(':memory:');
  return { sink: store.spans, store, close: () => store.close() };
});
