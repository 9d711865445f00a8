import { join } from 'node:path';
import { EvalOpsError } from '../core/errors.js';
import { openStore, type Store } from '../store/store.js';

/**
 * The store the CLI uses: EVALOPS_DATABASE_URL when set (`sqlite:PATH` or `postgres://…`), else the
 * embedded SQLite file `.evalops/evalops.db` in the working directory.
 */
export async function openCliStore(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Promise<Store> {
  const url = env['EVALOPS_DATABASE_URL']?.trim();
  if (url && !/^(sqlite:|postgres(ql)?:\/\/)/.test(url)) {
    throw new EvalOpsError('config', 'EVALOPS_DATABASE_URL must start with sqlite: or postgres:// (got "' + url.replace(/\/\/[^@]*@/, '//***@') + '")');
  }
  return openStore(url || `sqlite:${join(cwd, '.evalops', 'evalops.db')}`);
}
