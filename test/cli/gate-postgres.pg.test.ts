import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgQuery, TEST_PG_URL } from '../support/test-postgres.js';
import { runCli } from './run-cli.js';

/**
 * The same release flow on PostgreSQL (the scale-out store): a fresh database per run, created and
 * dropped here, reached by the CLI through EVALOPS_DATABASE_URL exactly as a team would.
 */
const dbName = `evalops_e2e_${process.pid}_${Date.now().toString(36)}`;
const url = TEST_PG_URL.replace(/\/[^/?]+(\?.*)?$/, `/${dbName}$1`);
const sql = (text: string): Promise<void> => pgQuery(text);

describe('evalops run → gate → override on PostgreSQL (end to end)', () => {
  const env = { EVALOPS_DATABASE_URL: url, EVALOPS_ACTOR: 'ci@example.com' };
  beforeAll(async () => {
    await sql(`create database "${dbName}"`);
  });
  afterAll(async () => {
    await sql(`drop database if exists "${dbName}" with (force)`);
  });

  it('approves v1, blocks v2 naming the slice, lets an admin override, and keeps the audit chain intact', async () => {
    const v1 = await runCli(['run', '-c', 'examples/support-bot/evalops.yaml', '--json'], { env });
    expect(v1.code, v1.stderr).toBe(0);
    const first = await runCli(['gate', '-c', 'examples/support-bot/evalops.yaml', '--json'], { env });
    expect(first.code, first.stderr).toBe(0);
    const v2 = await runCli(['run', '-c', 'examples/support-bot/evalops.v2.yaml', '--json'], { env });
    expect(v2.code, v2.stderr).toBe(0);
    const blocked = await runCli(['gate', '-c', 'examples/support-bot/evalops.yaml', '--json'], { env });
    expect(blocked.code, blocked.stderr).toBe(1);
    const doc = JSON.parse(blocked.stdout);
    expect(doc.baseline.runId).toBe(JSON.parse(v1.stdout).runId);
    expect(doc.findings.filter((f: { action: string | null }) => f.action === 'block').map((f: { slice: string | null }) => f.slice)).toEqual(expect.arrayContaining(['lang:es']));

    const cfgDir = mkdtempSync(join(tmpdir(), 'evalops-pg-admin-'));
    const text = readFileSync('examples/support-bot/evalops.yaml', 'utf8').replace('baseline: last-approved', 'baseline: last-approved\n  admins: [cto@example.com]');
    writeFileSync(join(cfgDir, 'evalops.yaml'), text.replace(/\.\/(agent|data|scorers|schemas|rubrics)/g, `${process.cwd()}/examples/support-bot/$1`));
    const override = await runCli(['gate', 'override', doc.decisionId, '-c', join(cfgDir, 'evalops.yaml'), '--reason', 'hotfix ships behind a flag', '--evidence', 'https://tickets.example.com/7', '--actor', 'cto@example.com', '--json'], { env });
    expect(override.code, override.stderr).toBe(0);
    expect(JSON.parse(override.stdout)).toMatchObject({ decision: { effectiveOutcome: 'approve' }, release: { status: 'approved' } });

    const verify = await runCli(['audit', 'verify', '-c', 'examples/support-bot/evalops.yaml', '--json'], { env });
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
    const entries = JSON.parse((await runCli(['audit', 'list', '-c', 'examples/support-bot/evalops.yaml', '--json'], { env })).stdout).entries;
    expect(entries.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['policy.change', 'gate.decision', 'release.transition', 'gate.override']));
  });
});
