import { resolve } from 'node:path';
import { loadReleaseConfigFile } from '../config/load-release-config.js';
import { EvalOpsError } from '../core/errors.js';
import type { Example } from '../core/example.js';
import { releaseConfigHash, releaseConfigVariant, type ReleaseConfig } from '../core/release-config.js';
import type { TargetConfig, TargetConfigOf } from '../core/target-config.js';
import { lookupPath, templatePaths } from '../core/template.js';
import type { Store } from '../store/store.js';

/**
 * A `model` target run from a release config — `{ type: model, release: NAME }` (a stored release)
 * or `{ type: model, config: FILE }` — so that what is evaluated is exactly what resolvers serve:
 * the config's model and parameters, its tools, and its prompts `system` and `user` (the user
 * message; without it the input itself). The run's variant is the release's, so the gate's decision
 * lands on that release.
 */

/** Where a model target's release config came from, and the variant its runs carry. */
export interface ReleaseTargetSource {
  readonly config: ReleaseConfig;
  readonly variant: string;
  /** The release name when the target named one (the run is then named for it). */
  readonly releaseName?: string;
  /** How errors name it: `target.release (1.0.0)` or the file. */
  readonly where: string;
}

/** The scopes a model target renders its prompts with (src/targets/model-target.ts). */
const MODEL_TARGET_SCOPES = ['input', 'metadata'] as const;
/** The parameters the model port passes on; any other would make the evaluated call differ from the served one. */
const PASSED_PARAMETERS = new Set(['temperature', 'maxTokens']);

/** Reads the release config the target names, or undefined for any other target. Exit 2 (config) naming the field when it cannot. */
export async function readReleaseTargetSource(target: TargetConfig, deps: { readonly store: Store; readonly projectName: string; readonly baseDir: string }): Promise<ReleaseTargetSource | undefined> {
  if (target.type !== 'model') return undefined;
  if (target.config !== undefined) {
    const config = await loadReleaseConfigFile(resolve(deps.baseDir, target.config), 'config');
    return { config, variant: releaseConfigVariant(releaseConfigHash(config)), where: `target.config (${target.config})` };
  }
  if (target.release === undefined) return undefined;
  const where = `target.release (${target.release})`;
  const project = await deps.store.projects.findByName(deps.projectName);
  const found = project ? await deps.store.releaseConfigs.get(project.id, target.release).catch((e: unknown) => (e instanceof EvalOpsError && e.code === 'not_found' ? undefined : Promise.reject(e))) : undefined;
  if (!found) throw new EvalOpsError('config', `project "${deps.projectName}" has no release ${target.release}: set its config first (evalops releases config set ${target.release} --file FILE)`, { location: where });
  if (found.config === null) throw new EvalOpsError('config', `release ${target.release} has no config: set one (evalops releases config set ${target.release} --file FILE)`, { location: where });
  return { config: found.config, variant: found.release.targetVariant, releaseName: target.release, where };
}

/**
 * The plain model target a release config describes, after the checks a run needs: a model, only
 * parameters the model call passes on, and prompts that use only what the model target provides
 * (`{{input…}}`, `{{metadata…}}`).
 * @example modelTargetFromRelease({ type: 'model', release: '1.0.0', tools: [], timeoutMs: 60_000 }, source) // { type: 'model', model: 'openai:gpt-4.1-mini', system: '…', prompt: '…', … }
 */
export function modelTargetFromRelease(target: TargetConfigOf<'model'>, source: ReleaseTargetSource): TargetConfigOf<'model'> & { readonly model: string } {
  const { config, where } = source;
  if (config.model === undefined) throw new EvalOpsError('config', 'model.id: the release config names no model', { location: where });
  for (const key of Object.keys(config.model.parameters ?? {})) {
    if (!PASSED_PARAMETERS.has(key)) throw new EvalOpsError('config', `model.parameters.${key}: the model target passes only ${[...PASSED_PARAMETERS].join(' and ')}, so the evaluated call would differ from the served one`, { location: where });
  }
  for (const [name, prompt] of Object.entries(config.prompts ?? {})) {
    if (name !== 'system' && name !== 'user') continue;
    const foreign = templatePaths(prompt.template).find((p) => !(MODEL_TARGET_SCOPES as readonly string[]).includes(p.split('.')[0] as string));
    if (foreign) throw new EvalOpsError('config', `prompts.${name}.template: {{${foreign}}} is not something the model target provides (it renders {{input…}} and {{metadata…}})`, { location: where });
  }
  const { release: _release, config: _config, ...rest } = target;
  const parameters = config.model.parameters ?? {};
  return {
    ...rest,
    model: config.model.id,
    ...(config.prompts?.['system'] ? { system: config.prompts['system'].template } : {}),
    ...(config.prompts?.['user'] ? { prompt: config.prompts['user'].template } : {}),
    tools: (config.tools ?? []).map((t) => ({ name: t.name, description: t.description ?? '', parameters: t.parameters ?? { type: 'object', properties: {} } })),
    ...(parameters.temperature === undefined ? {} : { temperature: parameters.temperature }),
    ...(parameters.maxTokens === undefined ? {} : { maxTokens: parameters.maxTokens }),
  };
}

/**
 * Refuses a release config whose prompt uses an input or metadata field an example lacks (it would
 * render empty): config error naming the prompt, the variable and the first example without it.
 */
export function assertExamplesProvide(source: ReleaseTargetSource, examples: readonly Example[]): void {
  for (const [name, prompt] of Object.entries(source.config.prompts ?? {})) {
    if (name !== 'system' && name !== 'user') continue;
    for (const path of templatePaths(prompt.template)) {
      if (path === 'input' || path === 'metadata') continue;
      const missing = examples.find((e) => lookupPath({ input: e.input, metadata: e.metadata }, path) === undefined);
      if (missing) throw new EvalOpsError('config', `prompts.${name}.template: {{${path}}} is missing from example ${missing.id} of the dataset, so the prompt would render without it`, { location: source.where });
    }
  }
}
