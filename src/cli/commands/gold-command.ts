import { freezeGoldSet, getGoldSet, listGoldSets } from '../../api/calibration-operations.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, projectFor, type RemoteFlags } from '../open-api-caller.js';
import { parseIntFlag } from '../parse-flags.js';
import { renderTable } from '../render-table.js';

/** `evalops gold freeze|list|show`: frozen, versioned sets of human-settled labels per metric. */

interface Flags extends RemoteFlags {
  config?: string;
  project?: string;
  json?: boolean;
}

export async function goldFreezeCommand(metric: string, flags: Flags & { queue?: string[] }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const api = await openApiCaller(flags);
    try {
      const project = await projectFor(api, flags);
      const g = await api.call(freezeGoldSet, { params: { project }, body: { metric, queues: flags.queue ?? [] } });
      if (flags.json) return printJson(g);
      process.stdout.write(`gold set ${g.metric} v${g.version} (${g.id}): ${g.items} item(s)${g.created ? '' : ' — unchanged since the last version'}\n`);
    } finally {
      await api.close();
    }
  });
}

export async function goldListCommand(flags: Flags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const api = await openApiCaller(flags);
    try {
      const project = await projectFor(api, flags);
      const { goldSets } = await api.call(listGoldSets, { params: { project } });
      if (flags.json) return printJson({ project, goldSets });
      if (goldSets.length === 0) return void process.stdout.write(`no gold sets in project "${project}" yet; freeze one with \`evalops gold freeze METRIC\`\n`);
      process.stdout.write(`${renderTable(['metric', 'version', 'items', 'by', 'created'], goldSets.map((g) => [g.metric, `v${g.version}`, String(g.items), g.createdBy, g.createdAt.replace('T', ' ').slice(0, 19)]), new Set([2]))}\n`);
    } finally {
      await api.close();
    }
  });
}

export async function goldShowCommand(metric: string, flags: Flags & { version?: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const version = parseIntFlag(flags.version, '--version', 1, 1_000_000);
    const api = await openApiCaller(flags);
    try {
      const project = await projectFor(api, flags);
      const g = await api.call(getGoldSet, { params: { project, metric }, query: version === undefined ? {} : { version } });
      if (flags.json) return printJson(g);
      const counts = new Map<string, number>();
      for (const i of g.goldItems) counts.set(i.label, (counts.get(i.label) ?? 0) + 1);
      process.stdout.write(`gold set ${g.metric} v${g.version}: ${g.items} item(s) — ${[...counts].map(([l, n]) => `${n} ${l}`).join(', ')}\n`);
    } finally {
      await api.close();
    }
  });
}
