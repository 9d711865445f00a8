import type { TargetConfig, TargetConfigOf, TargetType } from './target-config.js';

/**
 * A readable name of a target, for lists where its variant hash alone says nothing: the model, the
 * module's path and export, the command, the HTTP method and URL (without its query, which may hold
 * a key), each with its `version` when set. Never headers or env values.
 *
 * @example targetLabel({ type: 'model', model: 'openai:gpt-4.1-mini', tools: [], timeoutMs: 60_000 }) // 'openai:gpt-4.1-mini'
 */
export function targetLabel(config: TargetConfig): string {
  const label = clip((LABELS[config.type] as (c: TargetConfig) => string)(config));
  return config.version === undefined ? label : `${label} ${config.version}`;
}

/** A variant as people read it: the target's label (or type) and the first 8 characters of the hash. */
export function variantName(target: { readonly type: string; readonly variant: string; readonly label?: string | null | undefined }): string {
  return `${target.label ?? target.type} · ${target.variant.slice(0, 8)}`;
}

const LABELS: { readonly [T in TargetType]: (config: TargetConfigOf<T>) => string } = {
  model: (c) => c.model ?? (c.release !== undefined ? `release ${c.release}` : `config ${c.config ?? ''}`),
  module: (c) => `${c.path}${c.export === 'default' ? '' : `#${c.export}`}`,
  command: (c) => (Array.isArray(c.command) ? c.command.join(' ') : c.command),
  http: (c) => `${c.method} ${c.url.split('?')[0] ?? c.url}`,
};

const MAX = 80;

function clip(text: string): string {
  return text.length <= MAX ? text : `${text.slice(0, MAX - 1)}…`;
}

/** The target of a run record as the API shows it: type, variant and its readable name. */
export function runTarget(run: { readonly targetType: string; readonly targetVariant: string; readonly targetLabel?: string | undefined }): { type: string; variant: string; name: string } {
  return { type: run.targetType, variant: run.targetVariant, name: variantName({ type: run.targetType, variant: run.targetVariant, label: run.targetLabel }) };
}
