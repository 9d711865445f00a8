import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/**
 * `evalops scorecard` reads what is stored: the metrics as the newest run snapshotted them, and the
 * rules as the newest gate decision applied them — so before any decision it says the rules are not
 * known yet rather than guessing from a config that may have changed since.
 */
describe('evalops scorecard (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-scorecard-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  const config = ['-c', 'examples/support-bot/evalops.yaml'];
  const scorecard = async (...args: string[]) => {
    const res = await runCli(['scorecard', ...args, '--json'], { env });
    expect(res.code, res.stderr).toBe(0);
    return JSON.parse(res.stdout);
  };

  beforeAll(async () => {
    const res = await runCli(['run', ...config, '--json', '--no-cache'], { env });
    expect(res.code, res.stderr).toBe(0);
  });

  it('shows the run\'s metrics with their definitions, and no rules before the first gate decision', async () => {
    const card = await scorecard(...config);
    expect(card.metrics.map((m: { name: string }) => m.name)).toEqual(['cites_policy', 'right_tool', 'tool_args', 'no_leak', 'concise', 'cost', 'helpfulness']);
    expect(card.metrics.find((m: { name: string }) => m.name === 'helpfulness')).toMatchObject({ owner: 'product@example.com', lifecycle: 'capability', scorerType: 'judge', gates: [] });
    expect(card.metrics.every((m: { gates: unknown[] }) => m.gates.length === 0)).toBe(true);
    expect(card.warnings).toEqual(['no gate decision yet: the rules each metric gates show after the first `evalops gate`']);
  });

  it('shows the rules the newest decision applied, by metric and by failure class', async () => {
    expect((await runCli(['gate', ...config, '--json'], { env })).code).toBe(0);
    const card = await scorecard('--project', 'support-bot');
    const gates = Object.fromEntries(card.metrics.map((m: { name: string; gates: { rule: string }[] }) => [m.name, m.gates.map((g) => g.rule)]));
    expect(gates).toMatchObject({ cites_policy: ['cites_policy noRegression perSlice → block'], right_tool: ['right_tool min 0.95 → require_approval'], no_leak: ['failureClass policy_boundary maxFailures 0 → block'], concise: [] });
    expect(card.warnings).toEqual([]);
    expect(await scorecard(...config)).toEqual(card);
  });

  it('names a project without runs, and a window out of range, as usage errors (exit 2)', async () => {
    const missing = await runCli(['scorecard', '--project', 'nobody'], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/project "nobody" has no runs yet/);
    const bad = await runCli(['metrics', 'lifecycle', ...config, '--runs', '1'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--runs must be a whole number from 2 to 100/);
  });
});
