import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker thread whose entry module is `NAME.js` beside the calling module (`callerUrl`,
 * its `import.meta.url`): in dist/ and the CLI bundle, where scripts/bundle-cli.mjs makes each worker
 * entry a file of its own beside the chunks. Running from source (tests, tsx) the entry is `NAME.ts`:
 * the worker registers tsx's loader in its own thread and then imports it (loader flags in a
 * worker's execArgv are not applied on Node 20).
 */
export function spawnModuleWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  // tsx's "./esm/api" export for `import` (require.resolve would give its CommonJS variant).
  const tsxApi = pathToFileURL(join(dirname(createRequire(callerUrl).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  return new Worker(`import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`, { ...options, eval: true });
}
