import { extname } from 'node:path';
import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';

/** The dataset file formats EvalOps imports. */
export const DatasetFormatSchema = z.enum(['jsonl', 'csv', 'json', 'yaml']);
export type DatasetFormat = z.infer<typeof DatasetFormatSchema>;

const BY_EXTENSION: Readonly<Record<string, DatasetFormat>> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.csv': 'csv',
  '.json': 'json',
  '.yaml': 'yaml',
  '.yml': 'yaml',
};

/**
 * The format of a dataset file, from its extension (case-insensitive).
 * @example datasetFormatFromPath('data/cases.JSONL') // 'jsonl'
 * @throws EvalOpsError('input') for any other extension.
 */
export function datasetFormatFromPath(path: string): DatasetFormat {
  const ext = extname(path).toLowerCase();
  const format = BY_EXTENSION[ext];
  if (format === undefined) {
    throw new EvalOpsError(
      'input',
      `unsupported dataset file extension "${ext || '(none)'}"; use one of ${Object.keys(BY_EXTENSION).join(', ')}`,
      { location: path },
    );
  }
  return format;
}
