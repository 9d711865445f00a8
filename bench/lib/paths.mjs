/** Where the benchmarks live and work: the repository root, bench/ and the git-ignored bench/.work/. */
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const WORK_DIR = `${BENCH_DIR}/.work`;
/** The built CLI entry; `npm run build` makes it. */
export const EVALOPS_BIN = `${REPO_ROOT}/bin/evalops.js`;
