import { EvalOpsError } from '../core/errors.js';
import type { Example } from '../core/example.js';
import type { SaveVersionResult } from '../store/dataset-repository.js';
import type { Store } from '../store/store.js';
import { datasetVersionHash } from './dataset-hash.js';

/**
 * Adds examples to a dataset's latest version as a new version (an example with the same id is
 * replaced; a dataset that does not exist yet is created). The flywheel's way into a dataset: traces
 * and reviewed items. Saving the same content again returns the existing version.
 * @example await addExamples(store, projectId, 'escalations', [example], 'review:helpful')
 */
export async function addExamples(store: Store, projectId: string, datasetName: string, added: readonly Example[], sourcePath: string): Promise<SaveVersionResult & { examples: number }> {
  const existing = await store.datasets.getVersion(projectId, datasetName).then(
    (v) => store.datasets.examples(v.id),
    (e: unknown) => {
      if (e instanceof EvalOpsError && e.code === 'not_found') return [] as Example[];
      throw e;
    },
  );
  const byId = new Map(existing.map((e) => [e.id, e]));
  for (const e of added) byId.set(e.id, e);
  const examples = [...byId.values()];
  const saved = await store.datasets.saveVersion(projectId, datasetName, datasetVersionHash(examples), examples, sourcePath);
  return { ...saved, examples: examples.length };
}
