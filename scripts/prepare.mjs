/**
 * `prepare`: builds the package (`npm run build`) when npm installs the clone (`npm install`,
 * `npm ci`) or packs it — but not when `npx evalops` runs in the clone. npm runs a project's own bin
 * by installing the project into its npx cache, which runs `prepare` again: a silent full build of
 * about 70 s before the first command. Under `npm exec` (`npm_command=exec`) with a build present,
 * there is nothing to do; without one, it builds, since the CLI cannot run without it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = existsSync(join(root, 'dist', 'bundle', 'main.js'));
if (process.env.npm_command === 'exec' && built) process.exit(0);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
