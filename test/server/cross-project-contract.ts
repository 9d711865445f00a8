import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../src/api/operations.js';
import { openAlert } from '../../src/monitor/open-alert.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { Store } from '../../src/store/store.js';
import { BODIES, mixedProbes, PATH_PARAMS, QUERY_PARAMS, unknownLike, type DocOperation, type Param, type Probe } from './cross-project-probes.js';
import { apiOf, seedProject, type Call, type SeededProject } from './cross-project-seed.js';

/**
 * Tenancy, attacked through every operation of the OpenAPI document (issue 14): two projects, A and
 * B, each with one of everything; then, with B's admin key (so the role check passes and only
 * tenancy can refuse), every operation is sent once naming A's project (403) and once in B's project
 * with A's ids in the path, the query and the body (404 for an id in the path; a 4xx for one in the
 * query or body). Each answer is compared with the answer to an unknown id of the same request — same
 * status, code and message once the id sent is blanked out — and every table of the database is
 * compared before and after each request: a refusal changes nothing, and what an operation without
 * any of A's ids writes in B names nothing of A. No answer may carry A's data (its marker, its ids).
 * The operations come from the served document, so a new one fails here until it is described below.
 */

type Dialect = 'sqlite' | 'postgres';

export function crossProjectContract(label: string, dialect: Dialect, open: () => Promise<Store>): void {
  describe(`every operation refuses another project's ids (${label})`, () => {
    let store: Store;
    let server: RunningServer;
    let call: Call;
    let a: SeededProject;
    let b: SeededProject;
    let doc: { paths: Record<string, Record<string, { operationId: string; parameters?: Param[]; requestBody?: unknown }>> };
    let operations: DocOperation[];

    beforeAll(async () => {
      store = await open();
      server = await startServer({ store, port: 0, host: '127.0.0.1', allowPrivateWebhooks: true, playground: { models: undefined } });
      call = apiOf(server.url);
      a = await seedProject(store, server.url, 'alpha', 'a');
      b = await seedProject(store, server.url, 'beta', 'b');
      const res = await call(b.admin, 'GET', '/api/v1/openapi.json');
      expect(res.status).toBe(200);
      doc = res.body;
      operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, o]) => ({ operationId: o.operationId, method, path, parameters: o.parameters ?? [], hasBody: o.requestBody !== undefined })),
      );
    }, 120_000);
    afterAll(async () => {
      await server?.close();
      await store?.close();
    });

    /** Every table's rows as sorted JSON lines (the moment a key was last used left out: reading touches it). */
    async function snapshot(): Promise<Map<string, string[]>> {
      const tables =
        dialect === 'sqlite'
          ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(store.db)).rows.map((r) => r.name)
          : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(store.db)).rows.map((r) => r.name);
      const out = new Map<string, string[]>();
      for (const table of tables.sort()) {
        const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(store.db)).rows;
        out.set(
          table,
          rows
            .map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).filter(([k]) => k !== 'last_used_at').map(([k, v]) => [k, v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v])), (_k, v) => (typeof v === 'bigint' ? String(v) : v)))
            .sort(),
        );
      }
      return out;
    }

    function diff(before: Map<string, string[]>, after: Map<string, string[]>): { removed: string[]; added: string[] } {
      const removed: string[] = [];
      const added: string[] = [];
      for (const table of new Set([...before.keys(), ...after.keys()])) {
        const was = new Map<string, number>();
        for (const r of before.get(table) ?? []) was.set(r, (was.get(r) ?? 0) + 1);
        for (const r of after.get(table) ?? []) {
          const n = was.get(r) ?? 0;
          if (n > 0) was.set(r, n - 1);
          else added.push(`${table}: ${r}`);
        }
        for (const [r, n] of was) for (let i = 0; i < n; i++) removed.push(`${table}: ${r}`);
      }
      return { removed, added };
    }

    /** Everything of A that must never show in an answer to B, nor in what B writes. */
    const secretsOf = (p: SeededProject): string[] => [p.marker, p.projectId, p.runId, p.baselineRunId, p.decisionId, p.releaseId, p.ruleId, p.monitorId, p.alertId, p.queueId, p.itemId, p.goldSetId, p.calibrationId, p.traceId, p.webhookId, p.deliveryId, p.keyId, p.keyPrefix, p.rollbackRuleId];

    function probesOf(op: DocOperation): Probe[] {
      const probes: Probe[] = [];
      const pathParams = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
      for (const name of pathParams) {
        if (name !== 'project' && PATH_PARAMS[name] === undefined) throw new Error(`${op.operationId}: path parameter {${name}} has no value of project A in PATH_PARAMS; add one`);
      }
      const required = op.parameters.filter((p) => p.in === 'query' && p.required).map((p) => p.name);
      for (const name of required) if (QUERY_PARAMS[name] === undefined) throw new Error(`${op.operationId}: required query parameter ${name} has no value in QUERY_PARAMS; add one`);
      if (op.hasBody && BODIES[op.operationId] === undefined) throw new Error(`${op.operationId} takes a body: describe one naming A's things in BODIES`);

      const build = (params: Record<string, string>, projectName: string, extra: { label: string; body?: unknown; ids?: readonly string[]; projectQuery?: string }): Probe => {
        const ids = new Map<string, string>();
        let idIn: Probe['idIn'] = 'none';
        let path = op.path;
        for (const name of pathParams) {
          const value = name === 'project' ? projectName : (params[name] ?? PATH_PARAMS[name]!.of(a));
          if (name !== 'project' && PATH_PARAMS[name]!.role === 'id' && secretsOf(a).includes(value)) {
            ids.set(value, unknownLike(value));
            idIn = 'path';
          }
          path = path.replace(`{${name}}`, encodeURIComponent(value));
        }
        const query: Record<string, string> = {};
        for (const p of op.parameters.filter((q) => q.in === 'query')) {
          const known = QUERY_PARAMS[p.name];
          if (!known) continue;
          if (known.role === 'project') {
            if (extra.projectQuery !== undefined) query[p.name] = extra.projectQuery;
            continue;
          }
          query[p.name] = known.of(a);
          if (known.role === 'id') {
            ids.set(query[p.name]!, unknownLike(query[p.name]!));
            if (idIn === 'none') idIn = 'query-or-body';
          }
        }
        const fromTable = op.hasBody ? BODIES[op.operationId]!(a, b) : { body: undefined, ids: [] };
        const body = extra.body ?? fromTable.body;
        for (const id of extra.ids ?? (extra.body === undefined ? (fromTable.ids ?? []) : [])) {
          ids.set(id, unknownLike(id));
          if (idIn === 'none') idIn = 'query-or-body';
        }
        return { label: extra.label, path, query, body, ids, idIn, otherProject: projectName === a.name || query['project'] === a.name || (extra.body === undefined && fromTable.otherProject === true) };
      };

      if (pathParams.includes('project')) probes.push(build({}, a.name, { label: "A's project" }));
      probes.push(build({}, b.name, { label: pathParams.includes('project') ? "B's project, A's ids" : "A's ids" }));
      // An operation naming its project in the query: A's project (403), B's, and none (the key's).
      if (op.parameters.some((p) => p.in === 'query' && QUERY_PARAMS[p.name]?.role === 'project')) {
        probes.push(build({}, b.name, { label: "A's project in the query", projectQuery: a.name }));
        probes.push(build({}, b.name, { label: "B's project in the query, A's ids", projectQuery: b.name }));
      }
      for (const m of mixedProbes(op, a, b)) probes.push(build(m.params, b.name, { label: m.label, ...(m.body === undefined ? {} : { body: m.body }), ids: m.ids }));
      return probes;
    }

    const urlOf = (path: string, query: Record<string, string>): string => {
      const qs = new URLSearchParams(query).toString();
      return `/api/v1${path}${qs ? `?${qs}` : ''}`;
    };

    /** The same request with each of A's ids swapped for an unknown one. */
    function swapped(probe: Probe): { url: string; body: unknown } {
      let text = JSON.stringify({ url: urlOf(probe.path, probe.query), body: probe.body ?? null });
      for (const [id, unknown] of probe.ids) text = text.split(id).join(unknown);
      const parsed = JSON.parse(text) as { url: string; body: unknown };
      return { url: parsed.url, body: probe.body === undefined ? undefined : parsed.body };
    }

    const blank = (answer: unknown, ids: Iterable<string>): string => {
      let text = JSON.stringify(answer);
      for (const id of ids) text = text.split(id).join('<id>');
      return text;
    };

    it('is given the whole OpenAPI document, one operation per registered operation', () => {
      expect(operations.map((o) => o.operationId).sort()).toEqual(OPERATIONS.map((o) => o.id).sort());
    });

    it('refuses, for every operation, A\'s project and A\'s ids to a key of B, as it refuses unknown ones, and changes nothing of A', async () => {
      const secrets = secretsOf(a);
      const failures: string[] = [];
      let sent = 0;
      for (const op of operations) {
        for (const probe of probesOf(op)) {
          const what = `${op.operationId} (${op.method.toUpperCase()} ${op.path}) — ${probe.label}`;
          const before = await snapshot();
          const res = await call(b.admin, op.method.toUpperCase(), urlOf(probe.path, probe.query), probe.body);
          const after = await snapshot();
          sent++;
          const { removed, added } = diff(before, after);
          const refused = probe.otherProject || probe.idIn !== 'none';
          if (probe.otherProject) {
            if (res.status !== 403 && res.status !== 404) failures.push(`${what}: answered ${res.status} ${JSON.stringify(res.body)}, expected 403 or 404`);
          } else if (probe.idIn === 'path') {
            if (res.status !== 404) failures.push(`${what}: answered ${res.status} ${JSON.stringify(res.body)}, expected 404`);
          } else if (probe.idIn === 'query-or-body') {
            if (![400, 403, 404].includes(res.status)) failures.push(`${what}: answered ${res.status} ${JSON.stringify(res.body)}, expected 400, 403 or 404`);
          } else if (res.status >= 500) {
            failures.push(`${what}: answered ${res.status} ${JSON.stringify(res.body)}`);
          }
          if (res.status < 300 && refused) failures.push(`${what}: accepted`);
          if (refused && (removed.length > 0 || added.length > 0)) failures.push(`${what}: changed the database: -${removed.slice(0, 3).join(' | ')} +${added.slice(0, 3).join(' | ')}`);
          if (!refused && removed.length > 0) failures.push(`${what}: changed or removed rows: ${removed.slice(0, 3).join(' | ')}`);
          const leakedIn = added.filter((row) => secrets.some((s) => row.includes(s)));
          if (leakedIn.length > 0) failures.push(`${what}: wrote rows naming A: ${leakedIn.slice(0, 3).join(' | ')}`);
          const shown = blank(res.body, probe.ids.keys());
          const leak = secrets.find((s) => shown.includes(s));
          if (leak !== undefined) failures.push(`${what}: the answer shows A's ${leak}: ${shown.slice(0, 300)}`);

          // The same request with unknown ids in place of A's: the very same answer.
          if (probe.ids.size > 0 && !probe.otherProject) {
            const twin = swapped(probe);
            const twinRes = await call(b.admin, op.method.toUpperCase(), twin.url, twin.body);
            const mine = blank({ status: res.status, body: res.body }, probe.ids.keys());
            const theirs = blank({ status: twinRes.status, body: twinRes.body }, probe.ids.values());
            if (mine !== theirs) failures.push(`${what}: answers A's ids with ${mine} but unknown ids with ${theirs}`);
          }
        }
      }
      expect(failures, failures.join('\n')).toEqual([]);
      expect(sent).toBeGreaterThan(OPERATIONS.length);
    }, 600_000);

    it("keeps A's live release live when B's monitor fires, even with a rule row written across projects", async () => {
      // Through the API: B cannot bind its monitor to A's release, nor read A's rules.
      const bind = await call(b.admin, 'PUT', `/api/v1/projects/${b.name}/releases/${a.releaseId}/rollback-rules`, { monitor: b.monitorId });
      const unknown = await call(b.admin, 'PUT', `/api/v1/projects/${b.name}/releases/rel_zzzzzzzzzzzzzzzzzzzzz/rollback-rules`, { monitor: b.monitorId });
      expect(bind.status).toBe(404);
      expect(bind.body.error).toEqual({ code: 'not_found', message: `no release with id, name or variant ${a.releaseId}` });
      expect(unknown.body.error).toEqual({ code: 'not_found', message: 'no release with id, name or variant rel_zzzzzzzzzzzzzzzzzzzzz' });
      expect((await call(b.admin, 'GET', `/api/v1/projects/${b.name}/releases/${a.releaseId}/rollback-rules`)).status).toBe(404);
      // The store refuses it too.
      await expect(store.rollbackRules.save({ projectId: b.projectId, releaseId: a.releaseId, monitorId: b.monitorId, action: 'rollback', percent: null, createdBy: 'intruder' })).rejects.toMatchObject({ code: 'not_found' });
      // A row written behind the store's back (as an old version could): the firing monitor ignores it.
      await sql`insert into rollback_rules (id, project_id, release_id, monitor_id, action, percent, created_by, created_at) values ('rbr_forged', ${b.projectId}, ${a.releaseId}, ${b.monitorId}, 'rollback', null, 'intruder', ${new Date().toISOString()})`.execute(store.db);
      const fired = await openAlert(store, { projectId: b.projectId, monitorId: b.monitorId, ruleId: b.ruleId, kind: 'monitor', dedupeKey: 'beta-fired', severity: 'critical', title: 'beta monitor fired', evidence: {} }, { monitorName: b.monitorName });
      expect(fired.created).toBe(true);
      expect(fired.actions.map((x) => x.releaseId)).not.toContain(a.releaseId);
      const release = await call(a.admin, 'GET', `/api/v1/releases/${a.releaseId}`);
      expect(release.body).toMatchObject({ id: a.releaseId, status: 'live' });
      await sql`delete from rollback_rules where id = 'rbr_forged'`.execute(store.db);
    });

    it('lets an instance-wide key see and act in both projects, as before', async () => {
      const instance = (await store.apiKeys.create({ role: 'admin', projectId: null, name: 'root@example.com', createdBy: 'seed' })).plaintext;
      expect((await call(instance, 'GET', `/api/v1/runs/${a.runId}`)).status).toBe(200);
      expect((await call(instance, 'GET', `/api/v1/runs/${b.runId}`)).status).toBe(200);
      expect((await call(instance, 'GET', `/api/v1/gate-decisions/${a.decisionId}`)).status).toBe(200);
      expect((await call(instance, 'GET', `/api/v1/releases/${a.releaseId}`)).body).toMatchObject({ project: a.name, status: 'live' });
      expect((await call(instance, 'GET', `/api/v1/projects/${a.name}/releases/${a.releaseId}/rollback-rules`)).body.rules).toHaveLength(1);
      const listed = await call(instance, 'GET', '/api/v1/keys');
      expect(JSON.stringify(listed.body)).toContain(a.keyId);
      expect(JSON.stringify(listed.body)).toContain(b.keyId);
    });
  });
}
