import { isAbsolute, resolve } from 'node:path';

/**
 * Resolves a path written in a config file (dataset, rubric, schema, module) against the directory
 * of that file; absolute paths stay as they are.
 * @example resolveConfigPath('/repo/examples/bot', './data/cases.jsonl') // '/repo/examples/bot/data/cases.jsonl'
 */
export function resolveConfigPath(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}
