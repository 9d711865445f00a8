#!/usr/bin/env node
/**
 * Bundles the CLI into dist/bundle/ with esbuild (code-split, so each command still loads only what it
 * needs). A bundle loads a few dozen files instead of ~560 separate modules, which takes a quarter to
 * a third off start-up (measured in bench/llm-bound). Native and loader packages stay external:
 * better-sqlite3 (a .node addon), tsx and esbuild (they load user TypeScript at run time).
 * The library (dist/index.js and its .d.ts) is still built by tsc.
 * `node scripts/bundle-cli.mjs SRC OUT` bundles other sources (e.g. another commit's, for an A/B bench
 * run) into OUT, which must sit inside the repository so the bundle finds node_modules.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const [src = 'src', out = 'dist/bundle'] = process.argv.slice(2);
rmSync(out, { recursive: true, force: true });
await build({
  // Worker threads are entry points of their own: each is loaded by file (new URL('./NAME.js',
  // import.meta.url) from a chunk beside it in dist/bundle; src/workers/spawn-module-worker.ts).
  entryPoints: [
    { in: `${src}/cli/main.ts`, out: 'main' },
    { in: `${src}/store/sqlite/sqlite-span-worker.ts`, out: 'sqlite-span-worker' },
    { in: `${src}/clustering/clustering-worker.ts`, out: 'clustering-worker' },
  ],
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Less source for V8 to parse and compile at every start (Node 20 has no compile cache for ESM).
  minify: true,
  // Keep names so stack traces of a crash still say where.
  keepNames: true,
  external: ['better-sqlite3', 'tsx', 'tsx/*', 'esbuild', 'pg-native'],
  // Bundled CommonJS dependencies call require(); give the ESM chunks one.
  banner: { js: "import { createRequire as __evalopsCreateRequire } from 'node:module'; const require = __evalopsCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
