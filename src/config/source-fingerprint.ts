import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { sha256 } from '../core/hash.js';

/**
 * A hash of a user module AND every local file it imports (transitively), so that editing a helper
 * the entry file imports gives a new target variant or scorer version — and the response cache never
 * serves outputs of old code. Packages under node_modules are not included (their version is the
 * lockfile's business). The import graph comes from esbuild's metafile (the bundler tsx already
 * ships); if esbuild cannot read the graph, the entry file alone is hashed.
 */
export async function sourceFingerprint(entry: string): Promise<string> {
  const files = await localImportGraph(entry);
  const parts: string[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    // The entry by role, its imports by path relative to it: renaming or moving the project keeps
    // the fingerprint; the same code under another entry name gives the same fingerprint.
    const name = file === resolve(entry) ? '<entry>' : relative(resolve(entry, '..'), file);
    parts.push(`${name}\u0000${sha256(text)}`);
  }
  return sha256(parts.join('\n'));
}

async function localImportGraph(entry: string): Promise<string[]> {
  try {
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'silent',
      absWorkingDir: resolve(entry, '..'),
    });
    const cwd = resolve(entry, '..');
    const inputs = Object.keys(result.metafile.inputs).map((p) => resolve(cwd, p));
    return [...new Set([resolve(entry), ...inputs])].filter((p) => !p.includes('/node_modules/')).sort();
  } catch {
    return [resolve(entry)];
  }
}
