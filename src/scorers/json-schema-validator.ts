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
  /** Undefined when the value is valid, else the first validation errors as one line. */
  check(value: unknown): string | undefined;
}

const MAX_ERRORS_SHOWN = 3;

export async function loadJsonSchemaValidator(schema: Readonly<Record<string, unknown>> | string, baseDir: string): Promise<JsonSchemaValidator> {
  if (typeof schema !== 'string') return { fileHash: undefined, check: compile(schema, undefined) };
  const path = resolve(baseDir, schema);
  const text = await readSchemaFile(path);
  const parsed = parseSchemaText(text, path);
  return { fileHash: sha256(text).slice(0, 16), check: compile(parsed, path) };
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
    throw new EvalOpsError('config', `JSON Schema file does not parse: ${errorMessage(cause)}`, { location: path, cause });
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
    throw new EvalOpsError('config', `invalid JSON Schema: ${errorMessage(cause)}`, { ...(path ? { location: path } : {}), cause });
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
