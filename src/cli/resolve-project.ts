import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { EvalOpsError } from '../core/errors.js';

const CONFIG_NAMES = ['evalops.yaml', 'evalops.yml', 'evalops.config.ts', 'evalops.config.mjs', 'evalops.config.js'];

/** The project a command works on: `--project`, else the config's `project` (-c or found in cwd). */
export async function resolveProjectName(flags: { project?: string; config?: string }, cwd: string = process.cwd()): Promise<string> {
  if (flags.project) return flags.project;
  if (flags.config || CONFIG_NAMES.some((n) => existsSync(join(cwd, n)))) {
    return (await loadConfig(flags.config, cwd)).config.project;
  }
  throw new EvalOpsError('usage', 'no project: pass --project NAME or -c CONFIG (or run where evalops.yaml is)');
}
