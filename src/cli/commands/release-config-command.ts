import { diffReleaseConfigsOperation, getReleaseConfig, setReleaseConfig } from '../../api/release-config-operations.js';
import { loadReleaseConfigFile } from '../../config/load-release-config.js';
import { EvalOpsError } from '../../core/errors.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, projectFor, type RemoteFlags } from '../open-api-caller.js';

/**
 * `evalops releases config set NAME --file F`, `evalops releases config show NAME` and
 * `evalops releases diff A B`: a release's config (prompts, model, tools, data), on the local database
 * or, with --server, on a server.
 */

interface ProjectFlags extends RemoteFlags {
  config?: string;
  project?: string;
  json?: boolean;
}

/** `evalops releases config set NAME --file config.json|yaml`. */
export async function releasesConfigSetCommand(name: string, flags: ProjectFlags & { file?: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    if (flags.file === undefined) throw new EvalOpsError('usage', 'config set needs --file FILE (JSON or YAML)');
    const config = await loadReleaseConfigFile(flags.file);
    const api = await openApiCaller(flags);
    try {
      const project = await projectFor(api, flags);
      const set = await api.call(setReleaseConfig, { params: { project, release: name }, body: { config } });
      if (flags.json) return printJson(set);
      const what = set.releaseCreated ? `new candidate release ${set.release.id}` : set.changed ? `release ${set.release.id}` : `release ${set.release.id} (unchanged)`;
      process.stdout.write(`${name}: config ${set.configHash.slice(0, 12)} on ${what}, variant ${set.release.variant}\n`);
    } finally {
      await api.close();
    }
  });
}

/** `evalops releases config show NAME`: the config as JSON (with --json, with the release and hash). */
export async function releasesConfigShowCommand(name: string, flags: ProjectFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const api = await openApiCaller(flags);
    try {
      const project = await projectFor(api, flags);
      const shown = await api.call(getReleaseConfig, { params: { project, release: name } });
      if (flags.json) return printJson(shown);
      if (shown.config === null) return void process.stdout.write(`release ${shown.release.id} (${shown.release.names.join(', ') || shown.release.variant}) has no config\n`);
      process.stdout.write(`# release ${shown.release.id} (${shown.release.names.join(', ') || shown.release.variant}), config ${shown.configHash}\n${JSON.stringify(shown.config, null, 2)}\n`);
    } finally {
      await api.close();
    }
  });
}

/** `evalops releases diff A B`: what changed in the config from release A to release B. */
export async function releasesDiffCommand(from: string, to: string, flags: ProjectFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const api = await openApiCaller(flags);
    try {
      const project = await projectFor(api, flags);
      const diff = await api.call(diffReleaseConfigsOperation, { params: { project }, query: { from, to } });
      if (flags.json) return printJson(diff);
      const label = (s: typeof diff.from) => `${s.release.names[0] ?? s.release.id} (${s.configHash === null ? 'no config' : s.configHash.slice(0, 12)})`;
      process.stdout.write(`${label(diff.from)} → ${label(diff.to)}: ${diff.same ? 'same config' : `${diff.changes.length} change(s)`}\n`);
      for (const c of diff.changes) {
        if (c.lines) {
          process.stdout.write(`~ ${c.path}\n${c.lines.map((l) => `    ${l.op} ${l.text}`).join('\n')}\n`);
        } else if (c.kind === 'changed') process.stdout.write(`~ ${c.path}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}\n`);
        else if (c.kind === 'added') process.stdout.write(`+ ${c.path}: ${JSON.stringify(c.after)}\n`);
        else process.stdout.write(`- ${c.path}: ${JSON.stringify(c.before)}\n`);
      }
    } finally {
      await api.close();
    }
  });
}
