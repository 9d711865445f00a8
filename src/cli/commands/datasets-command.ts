import { relative, resolve } from 'node:path';
import type { ApiCaller } from '../../api/api-caller.js';
import { diffDatasetVersions, getDatasetVersion, importDatasetVersion, listDatasets } from '../../api/dataset-operations.js';
import { EvalOpsError } from '../../core/errors.js';
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

/** `evalops datasets show NAME [--version H] [--limit N] [--offset N]`. */
export async function datasetsShowCommand(name: string, flags: ProjectFlags & { version?: string; limit?: string; offset?: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const limit = parseIntFlag(flags.limit, '--limit', 1, 100_000) ?? 20;
    const offset = parseIntFlag(flags.offset, '--offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    await withApi(flags, async (api, project) => {
      const doc = await api.call(getDatasetVersion, { params: { project, dataset: name }, query: { limit, offset, ...(flags.version === undefined ? {} : { version: flags.version }) } });
      if (flags.json) return printJson(doc);
      process.stdout.write(`${name}@${doc.version}  ${doc.exampleCount} examples  created ${doc.createdAt}${doc.sourcePath ? `  from ${doc.sourcePath}` : ''}\n`);
      process.stdout.write(`slices: ${Object.entries(doc.slices).map(([k, v]) => `${k} (${v})`).join(', ') || '—'}\n`);
      process.stdout.write(`versions: ${doc.versions.map((v) => v.version).join(', ')}\n\n`);
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
