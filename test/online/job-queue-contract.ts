import { afterEach, describe, expect, it } from 'vitest';
import type { JobContext, JobQueue } from '../../src/online/job-queue.js';

/**
 * What every JobQueue must do, run against the embedded queue (SQLite) and pg-boss (PostgreSQL):
 * dedupe by key, hand each job to one handler, retry a throwing job with a growing delay, dead-letter
 * it after its retries, and requeue a dead-lettered job on request.
 */
export function jobQueueContract(name: string, make: (options: { retryLimit: number; retryDelaySeconds: number }) => Promise<JobQueue>): void {
  describe(`job queue contract: ${name}`, () => {
    const open: JobQueue[] = [];
    afterEach(async () => {
      for (const q of open.splice(0)) await q.stop();
    });
    const queue = async (retryLimit = 2, retryDelaySeconds = 1): Promise<JobQueue> => {
      const q = await make({ retryLimit, retryDelaySeconds });
      open.push(q);
      return q;
    };
    const until = async (check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> => {
      const end = Date.now() + ms;
      while (!(await check())) {
        if (Date.now() > end) throw new Error('timed out waiting');
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    it('keeps one queued job per key and hands every job to exactly one handler', async () => {
      const q = await queue();
      await q.send(Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, data: { i } })));
      await q.send([{ key: 'k3', data: { i: 3 } }]);
      const seen: number[] = [];
      await q.work(async (job) => void seen.push(job.data['i'] as number), { concurrency: 3, pollMs: 100 });
      await until(() => seen.length >= 30);
      await new Promise((r) => setTimeout(r, 300));
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      await until(async () => (await q.counts()).completed === 30);
    });

    it('retries a job that throws, counting attempts, until it succeeds', async () => {
      const q = await queue(3, 1);
      const attempts: number[] = [];
      await q.send([{ key: 'flaky', data: {} }]);
      await q.work(async (job: JobContext) => {
        attempts.push(job.attempt);
        if (job.attempt < 3) throw new Error(`try ${job.attempt} failed`);
      }, { pollMs: 100 });
      await until(() => attempts.length === 3);
      expect(attempts).toEqual([1, 2, 3]);
      await until(async () => (await q.counts()).completed === 1);
      expect((await q.counts()).failed).toBe(0);
    });

    it('dead-letters a job after its retries, with the error, and requeues it on request', async () => {
      const q = await queue(1, 1);
      let fail = true;
      let runs = 0;
      await q.send([{ key: 'doomed', data: { x: 1 } }]);
      await q.work(async () => {
        runs += 1;
        if (fail) throw new Error('judge unreachable');
      }, { pollMs: 100 });
      await until(async () => (await q.counts()).failed === 1);
      expect(runs).toBe(2); // the first try and one retry
      const [dead] = await q.failed();
      expect(dead).toMatchObject({ key: 'doomed', data: { x: 1 }, attempts: 2 });
      expect(dead?.error).toContain('judge unreachable');
      fail = false;
      expect(await q.retry(dead!.id)).toBe(true);
      await until(async () => (await q.counts()).completed === 1);
      expect(runs).toBe(3);
      expect(await q.retry(dead!.id)).toBe(false);
    });

    it("shows a project only its rules' jobs: counts and dead letters filtered by data.ruleId", async () => {
      const q = await queue(0, 1);
      await q.send([
        { key: 'rul_mine:t1', data: { ruleId: 'rul_mine', traceId: 't1' } },
        { key: 'rul_theirs:t2', data: { ruleId: 'rul_theirs', traceId: 't2' } },
        { key: 'rul_theirs:t3', data: { ruleId: 'rul_theirs', traceId: 't3' } },
      ]);
      await q.work(async (job) => {
        throw new Error(`cannot score ${String(job.data['traceId'])}`);
      }, { pollMs: 100 });
      await until(async () => (await q.counts()).failed === 3);
      expect(await q.counts({ ruleIds: ['rul_mine'] })).toEqual({ queued: 0, active: 0, completed: 0, failed: 1 });
      expect(await q.counts({ ruleIds: [] })).toEqual({ queued: 0, active: 0, completed: 0, failed: 0 });
      expect((await q.failed(10, { ruleIds: ['rul_mine'] })).map((j) => j.key)).toEqual(['rul_mine:t1']);
      expect((await q.failed(10, { ruleIds: ['rul_theirs'] })).map((j) => j.key).sort()).toEqual(['rul_theirs:t2', 'rul_theirs:t3']);
      expect(await q.failed(10, { ruleIds: [] })).toEqual([]);
    });
  });
}
