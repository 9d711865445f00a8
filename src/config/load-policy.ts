import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { EvalOpsError } from '../core/errors.js';
import type { LoadedConfig } from './load-config.js';
import { validateConfig } from './validate-config.js';
import { yamlLineOf } from './yaml-line.js';

/**
 * A gate policy in its own file (`evalops gate --policy gate.yaml`): a YAML document with the same
 * fields as the config's `gate:` section. It replaces that section and is validated together with the
 * config (rules must name configured metrics), errors naming the policy file, line and field.
 */
export async function loadPolicy(loaded: LoadedConfig, policyPath: string): Promise<LoadedConfig> {
  const file = resolve(policyPath);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new EvalOpsError('usage', `cannot read the gate policy: ${(cause as Error).message}`, { location: file, cause });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = lineCounter.linePos(syntax.pos[0]).line;
    throw new EvalOpsError('config', `YAML syntax error: ${syntax.message.split('\n')[0]}`, { location: `${file}:${line}` });
  }
  const policy = doc.toJS() as unknown;
  // Errors are reported at `gate.…` paths; the policy file's own lines are those paths minus `gate`.
  const config = validateConfig({ ...loaded.config, gate: policy }, { file, lineOf: (path) => (path[0] === 'gate' ? yamlLineOf(doc, lineCounter, path.slice(1)) : undefined) });
  return { ...loaded, config };
}
