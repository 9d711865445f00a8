/**
 * `evalops monitors pause|resume` on the local database: audited under the actor, shown in `monitors
 * list|show`, and every mistake (an unknown monitor, pausing a paused one, resuming a running one, an
 * empty reason, evaluating a paused one) is exit 2 naming what is wrong.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('evalops monitors pause|resume', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-pause-cli-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'sre@example.com' };
  const cli = (...args: string[]) => runCli([...args, '--project', 'shop'], { env });
  const online = join(dir, 'online.yaml');
  writeFileSync(online, 'rules:\n  - name: prod\n    metrics:\n      - { name: polite, scorer: { type: icontains, value: please } }\nmonitors:\n  - { name: polite-drop, rule: prod, metric: polite, release: v2 }\n  - { name: polite-all, rule: prod, metric: polite }\n');

  it('pauses with a reason, says so in list and show, refuses to evaluate, resumes; both audited', async () => {
    expect((await cli('online', 'apply', online)).code).toBe(0);
    const paused = await cli('monitors', 'pause', 'polite-drop', '--reason', 'planned migration', '--json');
    expect(paused.code, paused.stderr).toBe(0);
    expect(JSON.parse(paused.stdout)).toMatchObject({ name: 'polite-drop', paused: { by: 'sre@example.com', reason: 'planned migration' } });
    const list = await cli('monitors', 'list');
    expect(list.stdout.split('\n').find((l) => l.includes('polite-drop'))).toContain('PAUSED');
    expect(list.stdout.split('\n').find((l) => l.includes('polite-all'))).not.toContain('PAUSED');
    const show = await cli('monitors', 'show', 'polite-drop');
    expect(show.stdout).toMatch(/PAUSED by sre@example\.com since \S+: planned migration — not evaluating or alerting/);
    const evaluate = await cli('monitors', 'evaluate', 'polite-drop');
    expect(evaluate.code).toBe(2);
    expect(evaluate.stderr).toContain('monitor polite-drop is paused (by sre@example.com');
    const resumed = await cli('monitors', 'resume', 'polite-drop');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('monitor polite-drop resumed');
    expect((await cli('monitors', 'list')).stdout).not.toContain('PAUSED');
    const audit = JSON.parse((await cli('audit', 'list', '--json')).stdout) as { entries: { action: string; actor: string; payload: Record<string, unknown> }[] };
    expect(audit.entries.filter((e) => e.action.startsWith('monitor.p') || e.action === 'monitor.resume').map((e) => [e.action, e.actor, e.payload])).toEqual([
      ['monitor.pause', 'sre@example.com', { name: 'polite-drop', reason: 'planned migration' }],
      ['monitor.resume', 'sre@example.com', { name: 'polite-drop' }],
    ]);
  });

  it('refuses an unknown monitor, a second pause, resuming a running monitor and an empty reason (exit 2)', async () => {
    const unknown = await cli('monitors', 'pause', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no monitor named nope');
    expect((await cli('monitors', 'pause', 'polite-all')).code).toBe(0);
    const again = await cli('monitors', 'pause', 'polite-all');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('monitor polite-all is already paused (by sre@example.com');
    const running = await cli('monitors', 'resume', 'polite-drop');
    expect(running.code).toBe(2);
    expect(running.stderr).toContain('monitor polite-drop is not paused');
    const empty = await cli('monitors', 'pause', 'polite-drop', '--reason', ' ');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('reason');
  });
});
