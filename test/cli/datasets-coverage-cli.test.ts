import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { contractSpan } from '../store/span-row-sink-contract.js';
import { runCli } from './run-cli.js';

/**
 * `evalops datasets coverage --clusters` in the terminal: traces stored with root inputs (refund
 * questions the dataset has, cancel questions it has not), the clusters printed with the promote
 * command of the uncovered one; flag mistakes exit 2 naming the flag.
 */
describe('evalops datasets coverage --clusters (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-cov-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, NO_COLOR: '1' };
  const opts = { cwd: dir, env };
  const cancelTraces: string[] = [];

  beforeAll(async () => {
    const rows = Array.from({ length: 6 }, (_, i) => ({ id: `r${i}`, input: `please refund my order ${i}` }));
    writeFileSync(join(dir, 'cases.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const imported = await runCli(['datasets', 'import', 'cases.jsonl', '--name', 'cases', '--project', 'p'], opts);
    expect(imported.code, imported.stderr).toBe(0);
    const store = await openStore(env.EVALOPS_DATABASE_URL);
    try {
      const projectId = (await store.projects.findByName('p'))!.id;
      const now = Date.now();
      const spans = [
        ...Array.from({ length: 6 }, (_, i) => ({ text: `I want a refund for my order ${i}`, cancel: false, i })),
        ...Array.from({ length: 3 }, (_, i) => ({ text: `how do I cancel my subscription plan ${i}`, cancel: true, i: i + 10 })),
      ].map(({ text, cancel, i }) => {
        const traceId = (i + 1).toString(16).padStart(32, 'a');
        if (cancel) cancelTraces.push(traceId);
        return { projectId, span: contractSpan(traceId, (i + 1).toString(16).padStart(16, '0'), { kind: 'AGENT', input: text, startTimeMs: now - 60_000, endTimeMs: now - 59_000 }) };
      });
      await store.spans.insertBatch(spans);
    } finally {
      await store.close();
    }
  });

  it('prints the clusters of what users ask and the command that promotes the uncovered one', async () => {
    const res = await runCli(['datasets', 'coverage', 'cases', '--project', 'p', '--clusters', '--min-examples', '5'], opts);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/By clusters of what users ask \(9 of 9 traces sampled, clustered with the dataset's examples\): dataset covers 66\.7%/);
    const cancelRow = res.stdout.split('\n').find((l) => /cancel|subscription/.test(l) && /NO$/.test(l.trim()));
    expect(cancelRow, res.stdout).toMatch(/33\.3%\s+0\s+NO/);
    const promote = res.stdout.split('\n').find((l) => l.trim().startsWith('evalops traces promote'))!;
    const ids = promote.trim().split(' ').slice(3, -2);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(cancelTraces).toContain(id);
    expect(promote.trim()).toMatch(/--dataset cases$/);

    const json = JSON.parse((await runCli(['datasets', 'coverage', 'cases', '--project', 'p', '--clusters', '--seed', '3', '--json'], opts)).stdout);
    expect(json.clusters).toMatchObject({ method: 'tfidf', sampled: 9, windowTraces: 9 });
    const plain = JSON.parse((await runCli(['datasets', 'coverage', 'cases', '--project', 'p', '--json'], opts)).stdout);
    expect(plain.clusters).toBeUndefined();
  });

  it('exits 2 naming the flag for --max-traces out of range, or --seed without --clusters', async () => {
    const small = await runCli(['datasets', 'coverage', 'cases', '--project', 'p', '--clusters', '--max-traces', '5'], opts);
    expect(small.code).toBe(2);
    expect(small.stderr).toMatch(/--max-traces/);
    const seed = await runCli(['datasets', 'coverage', 'cases', '--project', 'p', '--seed', '3'], opts);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toMatch(/--clusters/);
  });

  it('a window without traces says so and exits 0, clusters asked or not; an unknown version exits 2', async () => {
    const imported = await runCli(['datasets', 'import', 'cases.jsonl', '--name', 'cases', '--project', 'quiet'], opts);
    expect(imported.code, imported.stderr).toBe(0);
    for (const extra of [[], ['--clusters']]) {
      const res = await runCli(['datasets', 'coverage', 'cases', '--project', 'quiet', ...extra], opts);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/note: no traces between/);
      expect(res.stdout).not.toMatch(/By clusters/);
    }
    const unknown = await runCli(['datasets', 'coverage', 'cases', '--project', 'p', '--clusters', '--version', 'ffffffff'], opts);
    expect(unknown.code).toBe(2);
  });
});
