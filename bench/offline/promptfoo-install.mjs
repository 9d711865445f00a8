/**
 * promptfoo, pinned, installed by the bench into bench/.work/promptfoo from the npm registry (never a
 * dependency of EvalOps). Skipped when that version is already there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { WORK_DIR } from '../lib/paths.mjs';

export const PROMPTFOO_VERSION = '0.123.1';
export const PROMPTFOO_PREFIX = `${WORK_DIR}/promptfoo`;
const PACKAGE_DIR = `${PROMPTFOO_PREFIX}/node_modules/promptfoo`;

/**
 * Returns the path of promptfoo's CLI module. Its bin (dist/src/entrypoint.js) only checks the Node
 * version and then imports dist/src/main.js; the bench runs main.js itself so that node is the direct
 * child of GNU time.
 */
export function ensurePromptfoo(log = (line) => process.stderr.write(`${line}\n`)) {
  if (installedVersion() !== PROMPTFOO_VERSION) {
    log(`installing promptfoo@${PROMPTFOO_VERSION} into ${PROMPTFOO_PREFIX} …`);
    const args = ['install', '--prefix', PROMPTFOO_PREFIX, '--no-audit', '--no-fund', '--prefer-offline', `promptfoo@${PROMPTFOO_VERSION}`];
    const r = spawnSync('npm', args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed with exit code ${r.status}`);
    if (installedVersion() !== PROMPTFOO_VERSION) throw new Error(`promptfoo@${PROMPTFOO_VERSION} is not in ${PACKAGE_DIR} after npm install`);
  }
  const main = `${PACKAGE_DIR}/dist/src/main.js`;
  if (!existsSync(main)) throw new Error(`promptfoo's CLI module ${main} is missing`);
  return main;
}

function installedVersion() {
  try {
    return JSON.parse(readFileSync(`${PACKAGE_DIR}/package.json`, 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** The Node versions promptfoo declares support for (package.json engines.node). */
export function promptfooEngines() {
  try {
    return JSON.parse(readFileSync(`${PACKAGE_DIR}/package.json`, 'utf8')).engines?.node ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
