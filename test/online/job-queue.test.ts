import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedJobQueue } from '../../src/online/embedded-job-queue.js';
import { openStore, type Store } from '../../src/store/store.js';
import { jobQueueContract } from './job-queue-contract.js';

const stores: Store[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
});

jobQueueContract('embedded (SQLite)', async (options) => {
  const store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-jobs-')), 'db.sqlite')}`);
  stores.push(store);
  return new EmbeddedJobQueue(store, 'test', options);
});

describe('embedded job queue leases', () => {
  it('hands a job out again once the lease of a worker that died runs out, and never before', async () => {
    const store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-jobs-')), 'db.sqlite')}`);
    stores.push(store);
    let t = 1_000_000;
    const a = new EmbeddedJobQueue(store, 'lease', { leaseSeconds: 60 }, () => t);
    const b = new EmbeddedJobQueue(store, 'lease', { leaseSeconds: 60 }, () => t);
    await a.send([{ key: 'one', data: {} }]);
    const [taken] = await a.claim(1);
    expect(taken?.attempt).toBe(1);
    // Worker a is killed here: it never completes the job.
    t += 59_000;
    expect(await b.claim(1)).toEqual([]);
    t += 2_000;
    const [again] = await b.claim(1);
    expect(again).toMatchObject({ id: taken!.id, key: 'one', attempt: 2 });
  });
});
