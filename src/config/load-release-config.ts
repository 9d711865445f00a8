import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { EvalOpsError } from '../core/errors.js';
import { canonicalJson } from '../core/json.js';
import { RELEASE_CONFIG_MAX_BYTES, ReleaseConfigSchema, type ReleaseConfig } from '../core/release-config.js';
import { yamlLineOf } from './yaml-line.js';

/**
 * Reads a release config file (JSON or YAML; src/core/release-config.ts). A mistake is an
 * EvalOpsError naming the file, the line and the field (`config.yaml:4 model.id: …`), exit 2.
 * @example await loadReleaseConfigFile('releases/2.1.0.yaml') // { prompts: { … }, model: { id: 'openai:gpt-4.1-mini' } }
 */
export async function loadReleaseConfigFile(path: string, code: 'input' | 'config' = 'input'): Promise<ReleaseConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new EvalOpsError(code, `cannot read release config: ${(e as Error).message}`, { location: path });
  }
  if (Buffer.byteLength(text) > 4 * RELEASE_CONFIG_MAX_BYTES) throw new EvalOpsError(code, `the file is over ${4 * RELEASE_CONFIG_MAX_BYTES} bytes`, { location: path });
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const syntax = doc.errors[0];
  if (syntax) throw new EvalOpsError(code, `not valid JSON or YAML: ${syntax.message.split('\n')[0]}`, { location: `${path}:${counter.linePos(syntax.pos[0]).line}` });
  const parsed = ReleaseConfigSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const line = yamlLineOf(doc, counter, issue?.path ?? []);
    const field = (issue?.path ?? []).join('.');
    throw new EvalOpsError(code, `${field === '' ? '' : `field ${field}: `}${issue?.message ?? 'invalid'}`, { location: line === undefined ? path : `${path}:${line}` });
  }
  const bytes = Buffer.byteLength(canonicalJson(parsed.data));
  if (bytes > RELEASE_CONFIG_MAX_BYTES) throw new EvalOpsError(code, `the config is ${bytes} bytes as JSON, over the ${RELEASE_CONFIG_MAX_BYTES}-byte limit`, { location: path });
  return parsed.data;
}
