import type { Example } from '../core/example.js';
import { EvalOpsError } from '../core/errors.js';
import { datasetVersionHash } from './dataset-hash.js';
import type { DatasetFormat } from './dataset-format.js';
import { invalidRowsError } from './invalid-rows-error.js';
import { normaliseRows } from './normalise-rows.js';
import { parseCsv } from './parse-csv.js';
import { parseJson } from './parse-json.js';
import { parseJsonl } from './parse-jsonl.js';
import { parseYaml } from './parse-yaml.js';
import type { RowError, RowParseResult } from './raw-row.js';

/** A dataset file read, checked and identified: the content of one dataset version. */
export interface ParsedDataset {
  /** In file order. */
  readonly examples: readonly Example[];
  /** datasetVersionHash of the examples. */
  readonly hash: string;
  readonly format: DatasetFormat;
}

const PARSERS: Readonly<Record<DatasetFormat, (text: string) => RowParseResult>> = {
  jsonl: parseJsonl,
  csv: parseCsv,
  json: parseJson,
  yaml: parseYaml,
};

/**
 * Parses dataset text of a known format into examples and their version hash. Every problem of every
 * row is collected first (syntax, schema, duplicate ids), then thrown as one EvalOpsError('input')
 * naming `fileLabel:line` for each. Pure: no I/O.
 * @example parseDatasetText('{"id":"a","input":"hi"}', 'jsonl', 'inline').examples[0]?.id // 'a'
 * @throws EvalOpsError('input') when the text is empty, holds no examples or has invalid rows.
 */
export function parseDatasetText(text: string, format: DatasetFormat, fileLabel: string): ParsedDataset {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new EvalOpsError('input', `dataset file ${fileLabel} is empty`, { location: fileLabel });
  const parsed = PARSERS[format](body);
  const normalised = normaliseRows(parsed.rows);
  const errors: RowError[] = [...parsed.errors, ...normalised.errors];
  const { examples } = normalised;
  if (errors.length > 0) throw invalidRowsError(fileLabel, errors);
  if (examples.length === 0) throw new EvalOpsError('input', `dataset file ${fileLabel} holds no examples`, { location: fileLabel });
  return { examples, hash: datasetVersionHash(examples), format };
}
