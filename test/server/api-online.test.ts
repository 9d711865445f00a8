/**
 * The online-monitoring API on a real `evalops serve` (SQLite): bad rules and monitors are 400 with
 * the field named and store nothing; roles are enforced (a viewer reads, only an engineer manages and
 * acknowledges); an unknown alert is 404; the rule, the monitor and the series round-trip.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { apiClient, createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';

describe('online rules, monitors and alerts over the API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-api-online-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'local@example.com' };
  let serve: ServeProcess;
  let api: ReturnType<typeof apiClient>;
  let engineer = '';
  let viewer = '';
  const rule = { name: 'prod', sampleRate: 0.2, metrics: [{ name: 'polite', scorer: { type: 'icontains', value: 'please' } }] };

  beforeAll(async () => {
    const store = await openStore(env.EVALOPS_DATABASE_URL);
    await store.projects.ensure('shop');
    await store.close();
    serve = await startServe(env, ['--no-worker']);
    api = apiClient(serve.url);
    engineer = await createKeyLocally(env, ['--role', 'engineer', '--project', 'shop', '--name', 'eng@example.com']);
    viewer = await createKeyLocally(env, ['--role', 'viewer', '--project', 'shop']);
  });
  afterAll(() => serve?.stop());

  it('refuses a bad rule with 400 naming the field, and stores nothing', async () => {
    const bad = await api(engineer, 'PUT', '/projects/shop/online/rules', { rule: { ...rule, sampleRate: 2 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/rule\.sampleRate/);
    const human = await api(engineer, 'PUT', '/projects/shop/online/rules', { rule: { ...rule, metrics: [{ name: 'h', scorer: { type: 'human', labels: ['a', 'b'], pass: ['b'] } }] } });
    expect(human.status).toBe(400);
    expect(human.body.error.message).toMatch(/human scorer cannot run online/);
    expect((await api(viewer, 'GET', '/projects/shop/online/rules')).body.rules).toEqual([]);
  });

  it('lets only an engineer manage rules and monitors; a viewer reads them', async () => {
    expect((await api(viewer, 'PUT', '/projects/shop/online/rules', { rule })).status).toBe(403);
    const saved = await api(engineer, 'PUT', '/projects/shop/online/rules', { rule });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ name: 'prod', created: true, enabled: true, stats: { traces: 0 } });
    const again = await api(engineer, 'PUT', '/projects/shop/online/rules', { rule: { ...rule, sampleRate: 0.5 } });
    expect(again.body).toMatchObject({ id: saved.body.id, created: false, spec: { sampleRate: 0.5 } });
    const read = await api(viewer, 'GET', '/projects/shop/online/rules/prod');
    expect(read.status).toBe(200);
    expect(read.body.spec.sampleRate).toBe(0.5);
  });

  it('refuses a monitor on an unknown rule or metric with 400, and saves a good one', async () => {
    const noRule = await api(engineer, 'PUT', '/projects/shop/monitors', { monitor: { name: 'm', rule: 'nope', metric: 'polite' } });
    expect(noRule.status).toBe(400);
    expect(noRule.body.error.message).toMatch(/monitor\.rule: no online rule named nope/);
    const noMetric = await api(engineer, 'PUT', '/projects/shop/monitors', { monitor: { name: 'm', rule: 'prod', metric: 'helpful' } });
    expect(noMetric.status).toBe(400);
    const badDetector = await api(engineer, 'PUT', '/projects/shop/monitors', { monitor: { name: 'm', rule: 'prod', metric: 'polite', detector: { kind: 'threshold', threshold: 1.5 } } });
    expect(badDetector.status).toBe(400);
    expect(badDetector.body.error.message).toMatch(/threshold/);
    const ok = await api(engineer, 'PUT', '/projects/shop/monitors', { monitor: { name: 'm', rule: 'prod', metric: 'polite' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: 'm', created: true, spec: { detector: { kind: 'cusum' } }, lastEvaluation: null });
    const evaluated = await api(engineer, 'POST', '/projects/shop/monitors/m/evaluate');
    expect(evaluated.body).toMatchObject({ monitor: 'm', error: null, alert: null, evaluation: { firing: false, warmingUp: true } });
  });

  it('answers 404 for an unknown alert and 403 when a viewer tries to acknowledge', async () => {
    expect((await api(engineer, 'POST', '/projects/shop/alerts/alr_nope/acknowledge', {})).status).toBe(404);
    expect((await api(viewer, 'POST', '/projects/shop/alerts/alr_nope/acknowledge', {})).status).toBe(403);
    expect((await api(viewer, 'GET', '/projects/shop/alerts?status=bogus')).status).toBe(400);
    const series = await api(viewer, 'GET', '/projects/shop/online/rules/prod/series?signal=pass_rate&by=release&bucketMinutes=60');
    expect(series.status).toBe(200);
    expect(series.body).toMatchObject({ rule: 'prod', signal: 'pass_rate', metric: 'polite', cells: [] });
  });
});
