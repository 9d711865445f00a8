#!/usr/bin/env node
/**
 * Bundles the CLI from a sources folder into an output folder, with the options of
 * scripts/bundle-cli.mjs: for A/B runs of quick-ingest.mjs against another commit's sources
 * (`git archive REV src | tar -x -C bench/.work/base`, then
 * `node bench/ingest/bundle-at.mjs bench/.work/base/src dist/bundle-base` and `--entry dist/bundle-base/main.js`).
 * The output must sit inside the repository, so the bundle finds node_modules.
 */
import { build } from 'esbuild';

const [src, out] = process.argv.slice(2);
if (!src || !out) throw new Error('usage: node bench/ingest/bundle-at.mjs SRC_DIR OUT_DIR');
await build({
  entryPoints: [
    { in: `${src}/cli/main.ts`, out: 'main' },
    { in: `${src}/store/sqlite/sqlite-span-worker.ts`, out: 'sqlite-span-worker' },
  ],
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  keepNames: true,
  external: ['better-sqlite3', 'tsx', 'tsx/*', 'esbuild', 'pg-native'],
  banner: { js: "import { createRequire as __evalopsCreateRequire } from 'node:module'; const require = __evalopsCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
