import { listScorers } from '../../api/online-operations.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, type RemoteFlags } from '../open-api-caller.js';
import { renderTable } from '../render-table.js';
import { cliRegisteredScorers } from './worker-command.js';

export interface ScorersListFlags extends RemoteFlags {
  scorers?: string;
  json?: boolean;
}

/**
 * `evalops scorers list`: with `--scorers DIR`, loads the directory exactly as `serve` and `worker`
 * would (a bad file is exit 2 naming it) and lists its scorers with their files; otherwise asks the
 * server (or the local mode, which has none) what it registered.
 */
export async function scorersListCommand(flags: ScorersListFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    let rows: { name: string; fingerprint: string; file?: string }[];
    let source: string;
    if (flags.scorers !== undefined) {
      const registered = await cliRegisteredScorers(flags.scorers);
      rows = registered.list().map((s) => ({ name: s.name, fingerprint: s.fingerprint, file: s.file }));
      source = registered.dir ?? flags.scorers;
    } else {
      const api = await openApiCaller(flags);
      try {
        const listed = await api.call(listScorers, { params: {} });
        rows = listed.scorers.map((s) => ({ ...s }));
        source = listed.configured ? 'server' : 'none';
      } finally {
        await api.close();
      }
    }
    if (flags.json) return printJson({ source, scorers: rows });
    if (rows.length === 0) {
      process.stdout.write(source === 'none' ? 'no registered scorers (start `evalops serve` / `evalops worker` with --scorers DIR, or list a directory with --scorers DIR)\n' : `no scorer modules in ${source}\n`);
      return;
    }
    process.stdout.write(`${renderTable(['name', 'fingerprint', ...(flags.scorers !== undefined ? ['file'] : [])], rows.map((r) => [r.name, r.fingerprint, ...(r.file !== undefined ? [r.file] : [])]))}\n`);
  });
}
