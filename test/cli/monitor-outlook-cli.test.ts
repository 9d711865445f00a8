/**
 * Issue 15 on the command line: `online apply` says when a change monitor arms and what it can detect
 * at the traffic its rule already has, `monitors list` says how long until armed at the observed
 * rate, `monitors show` gives the figures and warnings; bad detector params are exit 2 (CLI) or an
 * input error (API operation) naming the field, and nothing is saved.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveMonitor } from '../../src/api/monitor-operations.js';
import { LocalApiCaller } from '../../src/client/local-api-caller.js';
import { openStore } from '../../src/store/store.js';
import { runCli } from './run-cli.js';

const DAY = 86_400_000;

describe('monitor arming and detectability on the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-outlook-'));
  const url = `sqlite:${join(dir, 'db.sqlite')}`;
  const env = { EVALOPS_DATABASE_URL: url, EVALOPS_ACTOR: 'sre@example.com' };
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const rules = 'rules:\n  - name: prod\n    metrics:\n      - { name: polite, scorer: { type: icontains, value: please } }\n';

  it('online apply, monitors list and show state arming and detectability; they follow the traffic', async () => {
    const path = file('online.yaml', `${rules}monitors:\n  - { name: polite-drop, rule: prod, metric: polite }\n`);
    const first = await runCli(['online', 'apply', path, '--project', 'shop'], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('monitor polite-drop: created');
    expect(first.stdout).toContain('arming: no traffic yet — arms after 7000 traces or 7 days, whichever comes first');
    expect(first.stdout).toContain('detects: no scored traces yet');

    // Three days of 100 scored traces a day, 85% passing.
    const store = await openStore(url);
    const project = await store.projects.ensure('shop');
    const rule = (await store.onlineRules.find(project.id, 'prod'))!;
    const now = Date.now();
    for (let i = 0; i < 300; i++) {
      const pass = i % 20 >= 3;
      await store.onlineScores.record(
        { ruleId: rule.id, traceId: `c${i.toString(16).padStart(31, '0')}`, projectId: project.id, sampled: true, flags: [], release: 'v1', cohort: {}, traceStartMs: now - 3 * DAY + i * (DAY / 100), latencyMs: 50, costUsd: null, error: false, scoringCostUsd: 0, scoredAt: new Date(now).toISOString() },
        [{ metric: 'polite', spanId: null, status: 'scored', value: pass ? 1 : 0, pass, label: null, reason: null, scorerVersion: 'v' }],
      );
    }
    await store.close();

    const again = await runCli(['online', 'apply', path, '--project', 'shop'], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/arming: in 4\.0 days at 100 traces\/day — arms after 7000 traces or 7 days/);
    expect(again.stdout).toMatch(/detects: at 100 traces\/day: \d+\.\d\d false alarms per 30 days; a 5-point drop detected in \d+\.\d days on average \(\d+% within a day\)/);
    expect(again.stdout).toMatch(/warning: a 5-point drop is detected within the 7\.0 days its 14\.0 days lookback leaves after arming in only \d+% of cases/);

    expect((await runCli(['monitors', 'evaluate', 'polite-drop', '--project', 'shop'], { env })).code).toBe(0);
    const list = await runCli(['monitors', 'list', '--project', 'shop'], { env });
    expect(list.stdout).toMatch(/polite-drop .* warming up .* in 4\.0 days at 100 traces\/day .* \d\.\d\d .* \d+\.\d days \(5 pts\) !/);
    const listed = JSON.parse((await runCli(['monitors', 'list', '--project', 'shop', '--json'], { env })).stdout).monitors[0];
    expect(listed.arming).toMatchObject({ armed: false, referenceTraces: 300, warmupTraces: 7000, warmupDays: 7 });
    expect(listed.arming.observedPerDay).toBeCloseTo(100, 0);
    expect(listed.detectability).toMatchObject({ shift: 0.05, dayRateSd: expect.any(Number), runs: { falseAlarm: expect.any(Number), delay: expect.any(Number) } });
    expect(listed.detectability.perDay).toBeCloseTo(100, 0);
    const show = await runCli(['monitors', 'show', 'polite-drop', '--project', 'shop'], { env });
    expect(show.stdout).toMatch(/^polite-drop: learning the reference level: 300 of 7000 traces or 3\.0 of 7 days; arms in 4\.0 days at 100 traces\/day$/m);
    expect(show.stdout).toMatch(/^ {2}detects: at 100 traces\/day: /m);
    expect(show.stdout).toMatch(/^ {2}warning: /m);
  });

  it('refuses bad detector params with exit 2 naming the field, and saves nothing', async () => {
    const zero = await runCli(['online', 'apply', file('zero.yaml', `${rules}monitors:\n  - { name: other, rule: prod, metric: polite, detector: { kind: cusum, params: { warmupDays: 0 } } }\n`), '--project', 'bad', '--json'], { env });
    expect(zero.code).toBe(2);
    expect(JSON.parse(zero.stdout).error.message).toMatch(/zero\.yaml: monitors\.0\.detector\.params\.warmupDays: /);
    const unknown = await runCli(['online', 'apply', file('unknown.yaml', `${rules}monitors:\n  - { name: other, rule: prod, metric: polite, detector: { kind: shiryaev-roberts, params: { lambda: 3 } } }\n`), '--project', 'bad', '--json'], { env });
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout).error.message).toMatch(/unknown\.yaml: monitors\.0\.detector\.params\.lambda: /);
    const monitors = await runCli(['monitors', 'list', '--project', 'bad', '--json'], { env });
    expect(monitors.code === 0 ? JSON.parse(monitors.stdout).monitors : []).toEqual([]);
  });

  it('the API operation refuses them too, as an input error (400) naming the field', async () => {
    const store = await openStore(url);
    try {
      const api = new LocalApiCaller(store, () => 'sre@example.com');
      await expect(api.call(saveMonitor, { params: { project: 'shop' }, body: { monitor: { name: 'x', rule: 'prod', metric: 'polite', detector: { kind: 'ewma', params: { limit: -1 } } } } } as never)).rejects.toMatchObject({
        code: 'input',
        message: expect.stringMatching(/^monitor\.detector\.params\.limit: /),
      });
      const project = await store.projects.ensure('shop');
      expect(await store.monitors.find(project.id, 'x')).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
