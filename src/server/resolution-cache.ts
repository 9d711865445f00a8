import { buildResolutionTable, DEFAULT_TRACK, type ResolutionTable } from '../core/resolution-table.js';
import type { Store } from '../store/store.js';

/** A project's resolution state as one server holds it. */
interface Entry {
  readonly projectId: string;
  version: number;
  checkedAt: number;
  tables: ReadonlyMap<string, ResolutionTable>;
  pending: Promise<void> | undefined;
}

/**
 * The resolution tables of projects, held in memory so a resolve costs no database round trip.
 * Invalidation that holds across processes and servers (SQLite with CLI writers, several servers on
 * one PostgreSQL): every change a resolver can see appends an audit entry in its transaction, so the
 * project's last audit position is a version. A table older than `maxAgeMs` (default 250 ms) is
 * checked against that version — one primary-key lookup, shared by the requests that arrive
 * meanwhile — and rebuilt only when it moved. A change is thus served within `maxAgeMs` plus one
 * lookup on every server. Only projects that exist are held (one entry per project). When the
 * database cannot be reached, the last state is served (resolvers fail static, the server too).
 */
export class ResolutionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Entry | undefined>>();

  constructor(
    private readonly store: Pick<Store, 'projects' | 'releaseConfigs'>,
    private readonly options: { readonly maxAgeMs?: number; readonly now?: () => number; readonly onRefreshError?: (e: unknown) => void } = {},
  ) {}

  /** The tracks from memory when they were checked within `maxAgeMs`; undefined when the store must be asked. */
  peek(project: string): ReadonlyMap<string, ResolutionTable> | undefined {
    const entry = this.entries.get(project);
    return entry && (this.options.now ?? Date.now)() - entry.checkedAt < (this.options.maxAgeMs ?? 250) ? entry.tables : undefined;
  }

  /** The tracks of the project by name (today only `default`), or undefined when the project does not exist. */
  async tracks(project: string): Promise<ReadonlyMap<string, ResolutionTable> | undefined> {
    const now = (this.options.now ?? Date.now)();
    const entry = this.entries.get(project);
    if (entry) {
      if (now - entry.checkedAt >= (this.options.maxAgeMs ?? 250)) {
        entry.pending ??= this.refresh(project, entry)
          .catch((e: unknown) => {
            // The database is unreachable: keep answering from the last state, and try again later.
            entry.checkedAt = (this.options.now ?? Date.now)();
            this.options.onRefreshError?.(e);
          })
          .finally(() => (entry.pending = undefined));
        await entry.pending;
      }
      return entry.tables;
    }
    let load = this.loading.get(project);
    if (!load) {
      load = this.load(project).finally(() => this.loading.delete(project));
      this.loading.set(project, load);
    }
    return (await load)?.tables;
  }

  private async load(project: string): Promise<Entry | undefined> {
    const found = await this.store.projects.findByName(project);
    if (!found) return undefined;
    const entry: Entry = { projectId: found.id, version: -1, checkedAt: 0, tables: new Map(), pending: undefined };
    await this.rebuild(project, entry);
    this.entries.set(project, entry);
    return entry;
  }

  private async refresh(project: string, entry: Entry): Promise<void> {
    const checkedAt = (this.options.now ?? Date.now)();
    const version = await this.store.releaseConfigs.version(entry.projectId);
    if (version === entry.version) entry.checkedAt = checkedAt;
    else await this.rebuild(project, entry);
  }

  private async rebuild(project: string, entry: Entry): Promise<void> {
    const checkedAt = (this.options.now ?? Date.now)();
    const snapshot = await this.store.releaseConfigs.resolutionSnapshot(entry.projectId);
    entry.tables = new Map([[DEFAULT_TRACK, buildResolutionTable(project, DEFAULT_TRACK, snapshot.releases, snapshot.configs)]]);
    entry.version = snapshot.version;
    entry.checkedAt = checkedAt;
  }
}
