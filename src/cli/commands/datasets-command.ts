import { relative, resolve } from 'node:path';
import type { ApiCaller } from '../../api/api-caller.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { datasetStalenessOperation } from '../../api/coverage-operations.js';
import { CONFIG_FILE_NAMES, loadConfig } from '../../config/load-config.js';
import type { StalenessReport } from '../../datasets/dataset-staleness.js';
import { diffDatasetVersions, getDatasetVersion, importDatasetVersion, listDatasets } from '../../api/dataset-operations.js';
import { EvalOpsError, isEvalOpsError } from '../../core/errors.js';
import { loadDatasetFile } from '../../datasets/load-dataset-file.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, projectFor, type RemoteFlags } from '../open-api-caller.js';
import { parseIntFlag } from '../parse-flags.js';
import { renderTable } from '../render-table.js';

/** `evalops datasets import|list|show|diff`, on the local database or, with --server, on a server. */

interface ProjectFlags extends RemoteFlags {
  readonly config?: string;
  readonly project?: string;
  readonly json?: boolean;
}

async function withApi(flags: ProjectFlags, body: (api: ApiCaller, project: string) => Promise<void>): Promise<void> {
  const api = await openApiCaller(flags);
  try {
    await body(api, await projectFor(api, flags));
  } finally {
    await api.close();
  }
}

/**
 * `evalops datasets import FILE --name N`: the whole file or nothing. The file is read and checked
 * here (errors name its lines), then its examples are sent as they would be over the API.
 */
export async function datasetsImportCommand(file: string, flags: ProjectFlags & { name: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    if (!/^[A-Za-z0-9][\w.-]*$/.test(flags.name)) throw new EvalOpsError('usage', `--name must be letters, digits, ".", "_" or "-" (got "${flags.name}")`);
    const parsed = await loadDatasetFile(resolve(file));
    await withApi(flags, async (api, project) => {
      const doc = await api.call(importDatasetVersion, {
        params: { project, dataset: flags.name },
        body: { examples: [...parsed.examples], sourcePath: relative(process.cwd(), resolve(file)) },
      });
      if (flags.json) return printJson(doc);
      process.stdout.write(doc.created ? `imported ${doc.dataset}@${doc.version}: ${doc.examples} examples\n` : `unchanged: ${doc.dataset}@${doc.version} already holds this content (${doc.examples} examples)\n`);
    });
  });
}

/** `evalops datasets list`. */
export async function datasetsListCommand(flags: ProjectFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    await withApi(flags, async (api, project) => {
      const doc = await api.call(listDatasets, { params: { project } });
      if (flags.json) return printJson(doc);
      const rows = doc.datasets.map((r) => [r.name, String(r.versions), r.latest?.version ?? '—', String(r.latest?.examples ?? 0), r.latest?.createdAt ?? '—']);
      process.stdout.write(`${renderTable(['dataset', 'versions', 'latest', 'examples', 'created'], rows, new Set([1, 3]))}\n`);
    });
  });
}

/**
 * `evalops datasets show NAME [--version H] [--limit N] [--offset N] [--weeks N]`: the version, the
 * staleness of its slices (newest example, weekly share of production; in --json with --weeks) and
 * its examples.
 */
export async function datasetsShowCommand(name: string, flags: ProjectFlags & { version?: string; limit?: string; offset?: string; weeks?: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const limit = parseIntFlag(flags.limit, '--limit', 1, 100_000) ?? 20;
    const offset = parseIntFlag(flags.offset, '--offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const weeks = parseIntFlag(flags.weeks, '--weeks', 1, 26);
    const hasConfig = flags.config !== undefined || CONFIG_FILE_NAMES.some((f) => existsSync(join(process.cwd(), f)));
    const coverage = hasConfig ? (await loadConfig(flags.config)).config.coverage : undefined;
    await withApi(flags, async (api, project) => {
      const doc = await api.call(getDatasetVersion, { params: { project, dataset: name }, query: { limit, offset, ...(flags.version === undefined ? {} : { version: flags.version }) } });
      // In --json only when asked for (--weeks): its windows end at the moment of the call.
      const ask = () => api.call(datasetStalenessOperation, { params: { project, dataset: name }, body: { version: doc.version, attributes: coverage?.attributes ?? {}, minExamples: coverage?.minExamples ?? 5, weeks: weeks ?? 4 } });
      let staleness: StalenessReport | undefined;
      if (flags.json) staleness = weeks === undefined ? undefined : await ask();
      else {
        // The examples are worth showing even when the coverage mapping does not fit this dataset.
        staleness = await ask().catch((e: unknown) => {
          if (!isEvalOpsError(e) || e.code !== 'config') throw e;
          process.stderr.write(`warning: no staleness: ${e.describe()}\n`);
          return undefined;
        });
      }
      if (flags.json) return printJson(staleness ? { ...doc, staleness } : doc);
      process.stdout.write(`${name}@${doc.version}  ${doc.exampleCount} examples  created ${doc.createdAt}${doc.sourcePath ? `  from ${doc.sourcePath}` : ''}\n`);
      process.stdout.write(`slices: ${Object.entries(doc.slices).map(([k, v]) => `${k} (${v})`).join(', ') || '—'}\n`);
      process.stdout.write(`versions: ${doc.versions.map((v) => v.version).join(', ')}\n\n`);
      if (staleness) process.stdout.write(`${renderStaleness(staleness)}\n`);
      for (const e of doc.examples) process.stdout.write(`${e.id}  [${e.slices.join(' ')}]  ${JSON.stringify(e.input).slice(0, 120)}\n`);
      if (doc.nextOffset !== null) process.stdout.write(`… ${doc.exampleCount - doc.nextOffset} more (--offset ${doc.nextOffset}, --limit)\n`);
    });
  });
}

/** `evalops datasets diff NAME FROM TO`. */
export async function datasetsDiffCommand(name: string, from: string, to: string, flags: ProjectFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    await withApi(flags, async (api, project) => {
      // The server pages the lists; the CLI prints them whole.
      const diff = await api.call(diffDatasetVersions, { params: { project, dataset: name }, query: { from, to, limit: 1000 } });
      for (const kind of ['added', 'removed', 'changed'] as const) {
        for (let offset = diff.nextOffset[kind]; offset !== null; ) {
          const page = await api.call(diffDatasetVersions, { params: { project, dataset: name }, query: { from, to, kind, offset, limit: 1000 } });
          (diff[kind] as unknown[]).push(...page[kind]);
          offset = page.nextOffset[kind];
        }
        diff.nextOffset[kind] = null;
      }
      if (flags.json) return printJson(diff);
      process.stdout.write(`${name} ${diff.from} → ${diff.to}: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed, ${diff.unchangedCount} unchanged\n`);
      for (const e of diff.added) process.stdout.write(`+ ${e.id}\n`);
      for (const e of diff.removed) process.stdout.write(`- ${e.id}\n`);
      for (const c of diff.changed) process.stdout.write(`~ ${c.id} (${c.fields.join(', ')})\n`);
    });
  });
}

const DRIFT_WORDS = { rising: 'rising', falling: 'falling', steady: 'steady', no_traffic: 'no traffic' } as const;

/** The slices' staleness as a table: examples, newest example's age, weekly share of production, drift. */
export function renderStaleness(r: StalenessReport): string {
  const sliced = r.weeks.reduce((n, w) => n + w.sliced, 0);
  const head = `Staleness per slice (production share per week, the last ${r.weeks.length} weeks to ${r.weeks.at(-1)?.to.slice(0, 10) ?? '—'}; covered: at least ${r.minExamples} examples):`;
  if (r.slices.length === 0) return `${head}\n  no slices\n`;
  const weekHeads = r.weeks.map((w) => `wk ${w.from.slice(5, 10)}`);
  const rows = r.slices.map((s) => [
    s.slice,
    String(s.examples),
    s.newestExampleAgeDays === null ? '—' : `${s.newestExampleAgeDays} d`,
    ...s.weekly.map((x) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`)),
    DRIFT_WORDS[s.drift],
    s.covered ? 'yes' : 'NO',
  ]);
  const numeric = new Set([1, 2, ...r.weeks.map((_, i) => 3 + i)]);
  const note = sliced === 0 ? '\n  no production trace with a slice attribute in these weeks (evalops.slice.KEY, or coverage.attributes)' : '';
  return `${head}\n${renderTable(['slice', 'examples', 'newest example', ...weekHeads, 'drift', 'covered'], rows, numeric)}${note}\n`;
}
