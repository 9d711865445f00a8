import type { RunSummary } from '../core/run.js';
import type { Store } from '../store/store.js';
import type { ProjectScope } from '../store/project-scope.js';
import type { RunRecord } from '../store/run-repository.js';
import { summariseRun } from './summarise-run.js';

/**
 * A stored run with its scorecard. Finished runs carry the summary computed at the end; a run whose
 * process died (incomplete) or that is still running is summarised from what was stored.
 */
export async function runWithSummary(store: Store, runId: string, scope: ProjectScope = null): Promise<{ run: RunRecord; summary: RunSummary }> {
  const run = await store.runs.getInProject(scope, runId);
  if (run.summary && run.status !== 'running') return { run, summary: run.summary };
  const dataset = await store.datasets.getVersionById(run.datasetVersionId);
  const project = (await store.projects.list()).find((p) => p.id === run.projectId)?.name ?? run.projectId;
  const subset = await store.subsets.forRun(run.id);
  const summary = await summariseRun(store.runs, run, { project, dataset, status: run.status, finishedAt: run.finishedAt, expected: (subset?.subset.size ?? dataset.exampleCount) * run.repeat });
  return { run, summary: subset ? { ...summary, subset: subset.subset } : summary };
}
