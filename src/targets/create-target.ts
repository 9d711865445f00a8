import type { TargetConfig } from '../core/target-config.js';
import { targetRegistry } from './registry.js';
import type { Target, TargetDeps, TargetFactory } from './target.js';

/**
 * Builds the target a parsed config describes. Configuration problems (a missing module, a bad url,
 * an unset header variable) reject here with a `config` error, before any example runs.
 * @example const target = await createTarget({ type: 'module', path: './agent.ts', export: 'default' }, deps)
 */
export function createTarget(config: TargetConfig, deps: TargetDeps): Promise<Target> {
  // The registry pairs each type with its factory; TypeScript cannot correlate the union by itself.
  const factory = targetRegistry[config.type] as TargetFactory<TargetConfig['type']>;
  return factory(config, deps);
}
