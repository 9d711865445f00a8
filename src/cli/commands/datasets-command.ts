import { relative, resolve } from 'node:path';
import { EvalOpsError } from '../../core/errors.js';
import { diffDatasets } from '../../datasets/diff-datasets.js';
import { loadDatasetFile } from '../../datasets/load-dataset-file.js';
import type { Store } from '../../store/store.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openCliStore } from '../open-cli-store.js';
import { parseIntFlag } from '../parse-flags.js';
import { renderTable } from '../render-table.js';
import { resolveProjectName } from '../resolve-project.js';

interface ProjectFlags {
  readonly config?: string;
  readonly project?: string;
  readonly json?: boolean;
}

async function withProjectStore<T>(flags: ProjectFlags, create: boolean, body: (store: Store, projectId: string, projectName: string) => Promise<T>): Promise<T> {
  const name = await resolveProjectName(flags);
  const store = await openCliStore();
  try {
    const project = create ? await store.projects.ensure(name) : await store.projects.findByName(name);
    if (!project) throw new EvalOpsError('not_found', `project "${name}" has no datasets yet`);
    return await body(store, project.id, name);
  } finally {
    await store.close();
  }
}

/** `evalops datasets import FILE --name N`: the whole file or nothing. */
export async function datasetsImportCommand(file: string, flags: ProjectFlags & { name: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    if (!/^[A-Za-z0-9][\w.-]*$/.test(flags.name)) throw new EvalOpsError('usage', `--name must be letters, digits, ".", "_" or "-" (got "${flags.name}")`);
    const parsed = await loadDatasetFile(resolve(file));
    await withProjectStore(flags, true, async (store, projectId, project) => {
      const { version, created } = await store.datasets.saveVersion(projectId, flags.name, parsed.hash, parsed.examples, relative(process.cwd(), resolve(file)));
      const doc = { project, dataset: flags.name, version: version.hash, examples: version.exampleCount, created };
      if (flags.json) return printJson(doc);
      process.stdout.write(created ? `imported ${flags.name}@${version.hash}: ${version.exampleCount} examples\n` : `unchanged: ${flags.name}@${version.hash} already holds this content (${version.exampleCount} examples)\n`);
    });
  });
}

/** `evalops datasets list`. */
export async function datasetsListCommand(flags: ProjectFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    await withProjectStore(flags, false, async (store, projectId, project) => {
      const list = await store.datasets.list(projectId);
      const rows = list.map((d) => ({ name: d.name, versions: d.versions, latest: d.latest ? { version: d.latest.hash, examples: d.latest.exampleCount, createdAt: d.latest.createdAt } : null }));
      if (flags.json) return printJson({ project, datasets: rows });
      process.stdout.write(`${renderTable(['dataset', 'versions', 'latest', 'examples', 'created'], rows.map((r) => [r.name, String(r.versions), r.latest?.version ?? '—', String(r.latest?.examples ?? 0), r.latest?.createdAt ?? '—']), new Set([1, 3]))}\n`);
    });
  });
}

/** `evalops datasets show NAME [--version H]`. */
export async function datasetsShowCommand(name: string, flags: ProjectFlags & { version?: string; limit?: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const limit = parseIntFlag(flags.limit, '--limit', 1, 1_000_000) ?? 20;
    await withProjectStore(flags, false, async (store, projectId, project) => {
      const version = await store.datasets.getVersion(projectId, name, flags.version);
      const versions = await store.datasets.listVersions(projectId, name);
      const examples = await store.datasets.examples(version.id);
      const slices: Record<string, number> = {};
      for (const e of examples) for (const s of e.slices) slices[s] = (slices[s] ?? 0) + 1;
      const doc = {
        project,
        dataset: name,
        version: version.hash,
        createdAt: version.createdAt,
        sourcePath: version.sourcePath,
        exampleCount: version.exampleCount,
        slices,
        versions: versions.map((v) => ({ version: v.hash, examples: v.exampleCount, createdAt: v.createdAt })),
        examples: examples.slice(0, limit),
      };
      if (flags.json) return printJson(doc);
      process.stdout.write(`${name}@${version.hash}  ${version.exampleCount} examples  created ${version.createdAt}${version.sourcePath ? `  from ${version.sourcePath}` : ''}\n`);
      process.stdout.write(`slices: ${Object.entries(slices).map(([k, v]) => `${k} (${v})`).join(', ') || '—'}\n`);
      process.stdout.write(`versions: ${versions.map((v) => v.hash).join(', ')}\n\n`);
      for (const e of doc.examples) process.stdout.write(`${e.id}  [${e.slices.join(' ')}]  ${JSON.stringify(e.input).slice(0, 120)}\n`);
      if (examples.length > limit) process.stdout.write(`… ${examples.length - limit} more (--limit)\n`);
    });
  });
}

/** `evalops datasets diff NAME FROM TO`. */
export async function datasetsDiffCommand(name: string, from: string, to: string, flags: ProjectFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    await withProjectStore(flags, false, async (store, projectId, project) => {
      const a = await store.datasets.getVersion(projectId, name, from);
      const b = await store.datasets.getVersion(projectId, name, to);
      const diff = diffDatasets(await store.datasets.examples(a.id), await store.datasets.examples(b.id));
      if (flags.json) return printJson({ project, dataset: name, from: a.hash, to: b.hash, ...diff });
      process.stdout.write(`${name} ${a.hash} → ${b.hash}: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed, ${diff.unchangedCount} unchanged\n`);
      for (const e of diff.added) process.stdout.write(`+ ${e.id}\n`);
      for (const e of diff.removed) process.stdout.write(`- ${e.id}\n`);
      for (const c of diff.changed) process.stdout.write(`~ ${c.id} (${c.fields.join(', ')})\n`);
    });
  });
}
