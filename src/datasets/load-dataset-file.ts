import { readFile } from 'node:fs/promises';
import { EvalOpsError } from '../core/errors.js';
import { datasetFormatFromPath } from './dataset-format.js';
import { parseDatasetText, type ParsedDataset } from './parse-dataset-text.js';

/**
 * Reads a dataset file (.jsonl/.ndjson, .csv, .json, .yaml/.yml, chosen by extension) into examples
 * and the hash of the dataset version they make. Errors name `path:line`.
 * @example const { examples, hash } = await loadDatasetFile('data/cases.jsonl');
 * @throws EvalOpsError('input') for an unknown extension, an unreadable or empty file, or invalid rows.
 */
export async function loadDatasetFile(path: string): Promise<ParsedDataset> {
  const format = datasetFormatFromPath(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new EvalOpsError('input', `cannot read dataset file ${path}: ${reason}`, { location: path, cause: e });
  }
  return parseDatasetText(text, format, path);
}
