import { expect } from 'vitest';
import { runCli } from '../cli/run-cli.js';

/**
 * Seeds the support-bot example on the database of `env` as the UI tests need it: run v1 then v2, each
 * gated with the v1 config right after its run. Returns the run ids and the decision ids, oldest first.
 */
export async function seedRunsAndGates(env: Record<string, string>): Promise<{ runIds: string[]; decisionIds: string[] }> {
  const runIds: string[] = [];
  const decisionIds: string[] = [];
  for (const config of ['evalops.yaml', 'evalops.v2.yaml']) {
    const run = await runCli(['run', '-c', `examples/support-bot/${config}`, '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    runIds.push(JSON.parse(run.stdout).runId);
    const gate = await runCli(['gate', '-c', 'examples/support-bot/evalops.yaml', '--json'], { env });
    decisionIds.push(JSON.parse(gate.stdout).decisionId);
  }
  return { runIds, decisionIds };
}
