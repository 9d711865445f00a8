import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { EvalOpsError, errorMessage } from '../core/errors.js';
import { sha256 } from '../core/hash.js';

/**
 * A compiled JSON Schema, shared by `json-schema` and `tool-args`. The schema is inline or a `.json`,
 * `.yaml` or `.yml` file relative to the config's directory; it is compiled once, with standard
 * formats (ajv-formats). `$schema` picks the draft: 2020-12, 2019-09, otherwise draft-07.
 */
export interface JsonSchemaValidator {
  /** Hash of the file's content, for the scorer version; undefined for an inline schema. */
  readonly fileHash: string | undefined;
  /** The schema itself (the file's, parsed), e.g. to send it inline. */
  readonly schema: Readonly<Record<string, unknown>>;
  /** Undefined when the value is valid, else the first validation errors as one line. */
  check(value: unknown): string | undefined;
}

const MAX_ERRORS_SHOWN = 3;

export async function loadJsonSchemaValidator(schema: Readonly<Record<string, unknown>> | string, baseDir: string | null): Promise<JsonSchemaValidator> {
  if (typeof schema !== 'string') return { fileHash: undefined, schema, check: compile(schema, undefined) };
  // No base directory: the config came from a request or the store, so nothing it names is read.
  if (baseDir === null) throw new EvalOpsError('config', 'scorer.schema names a file; here a JSON Schema is inline and no file is read', { location: 'scorer.schema' });
  const path = resolve(baseDir, schema);
  const text = await readSchemaFile(path);
  const parsed = parseSchemaText(text, path);
  return { fileHash: sha256(text).slice(0, 16), schema: parsed, check: compile(parsed, path) };
}

async function readSchemaFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new EvalOpsError('config', `cannot read JSON Schema file: ${errorMessage(cause)}`, { location: path, cause });
  }
}

function parseSchemaText(text: string, path: string): Record<string, unknown> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.json' && ext !== '.yaml' && ext !== '.yml') {
    throw new EvalOpsError('config', 'a JSON Schema file must end in .json, .yaml or .yml', { location: path });
  }
  let value: unknown;
  try {
    value = ext === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    // Where, not what: parser messages quote the text, and a scorer's message never shows a file's content.
    throw new EvalOpsError('config', `JSON Schema file does not parse as ${ext === '.json' ? 'JSON' : 'YAML'}${parseErrorWhere(cause)}`, { location: path, cause });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new EvalOpsError('config', 'a JSON Schema file must hold an object', { location: path });
  }
  return value as Record<string, unknown>;
}

function compile(schema: Readonly<Record<string, unknown>>, path: string | undefined): (value: unknown) => string | undefined {
  const draft = typeof schema['$schema'] === 'string' ? schema['$schema'] : '';
  const options = { allErrors: true, strict: false };
  const ajv = draft.includes('2020-12') ? new Ajv2020(options) : draft.includes('2019-09') ? new Ajv2019(options) : new Ajv(options);
  addFormats.default(ajv);
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (cause) {
    // An inline schema is the caller's own text; a file's content is not quoted back.
    const detail = path ? 'invalid JSON Schema in the file (its content is not quoted here; check it with a JSON Schema validator)' : `invalid JSON Schema: ${errorMessage(cause)}`;
    throw new EvalOpsError('config', detail, { ...(path ? { location: path } : {}), cause });
  }
  return (value) => (validate(value) ? undefined : describeErrors(validate.errors ?? []));
}

function describeErrors(errors: readonly ErrorObject[]): string {
  const shown = errors.slice(0, MAX_ERRORS_SHOWN).map((e) => {
    const extra = typeof e.params['additionalProperty'] === 'string' ? ` (${e.params['additionalProperty']})` : '';
    return `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}${extra}`;
  });
  const more = errors.length > MAX_ERRORS_SHOWN ? `; and ${errors.length - MAX_ERRORS_SHOWN} more` : '';
  return shown.join('; ') + more;
}

/** " (line L, column C)" or " (position N)" of a JSON or YAML parse error, when it says; never its text. */
function parseErrorWhere(cause: unknown): string {
  const linePos = (cause as { linePos?: readonly { line: number; col: number }[] }).linePos?.[0];
  if (linePos) return ` (line ${linePos.line}, column ${linePos.col})`;
  const message = String((cause as Error)?.message ?? '');
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol) return ` (line ${lineCol[1]}, column ${lineCol[2]})`;
  const position = /position (\d+)/.exec(message);
  if (position) return ` (position ${position[1]})`;
  return /end of JSON input/.test(message) ? ' (it ends too early)' : '';
}
