/**
 * Diagnostic of the LLM-bound bench: the start-up of `evalops run` taken apart. Imports the modules
 * `run` loads (from dist/, in the order it needs them) and performs its steps up to the first model
 * call, timing each. A module shared by several (zod, say) is counted where it is first imported.
 * Prints one JSON line `{ phases: [{ name, ms }] }`; node's own boot is measured by the caller.
 *
 *   node bench/llm-bound/startup-phases.mjs CONFIG DB_FILE
 */
import { REPO_ROOT } from '../lib/paths.mjs';

const [configPath, dbFile] = process.argv.slice(2);
if (!configPath || !dbFile) {
  process.stderr.write('usage: startup-phases.mjs CONFIG DB_FILE\n');
  process.exit(2);
}
const phases = [];
let t = performance.now();
const mark = (name) => {
  const now = performance.now();
  phases.push({ name, ms: now - t });
  t = now;
};
const dist = (path) => import(`${REPO_ROOT}/dist/${path}`);

await import('commander');
mark('import commander (the CLI entry)');
const { loadConfig } = await dist('config/load-config.js');
mark('import config loader (zod schemas, yaml, ajv)');
const { openStore } = await dist('store/store.js');
mark('import store (kysely, better-sqlite3)');
const { loadDatasetFile } = await dist('datasets/load-dataset-file.js');
mark('import dataset loader');
const { createModelPort } = await dist('models/ai-sdk-model-port.js');
mark('import model port (ai, @ai-sdk/*)');
const { createScorer } = await dist('scorers/create-scorer.js');
mark('import scorers');
const { createTarget } = await dist('targets/create-target.js');
await dist('runner/run-evaluation.js');
await dist('cli/commands/run-command.js');
mark('import targets, runner, run command (rest)');
const loaded = await loadConfig(configPath);
mark('load + validate config');
const store = await openStore(`sqlite:${dbFile}`);
mark('open fresh SQLite + migrations');
const { resolve } = await import('node:path');
const parsed = await loadDatasetFile(resolve(loaded.baseDir, loaded.config.dataset.path));
mark(`parse + hash dataset (${parsed.examples.length} rows)`);
const models = createModelPort({ providers: loaded.config.providers ?? {}, env: {} });
const deps = { baseDir: loaded.baseDir, models, importModule: (p) => import(p) };
await createTarget(loaded.config.target, deps);
for (const m of loaded.config.metrics) await createScorer(m.scorer, deps);
mark('create target + scorers');
const project = await store.projects.ensure(loaded.config.project);
await store.datasets.saveVersion(project.id, loaded.config.dataset.name, parsed.hash, parsed.examples, loaded.config.dataset.path);
mark(`store dataset version (${parsed.examples.length} examples)`);
await store.close();
process.stdout.write(`${JSON.stringify({ phases })}\n`);
