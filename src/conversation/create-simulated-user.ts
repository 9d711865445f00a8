import { EvalOpsError } from '../core/errors.js';
import type { SimulatedUserConfig } from '../core/simulated-user-config.js';
import type { ModelPort } from '../models/model-port.js';
import { modelSimulatedUser } from './model-simulated-user.js';
import { scriptedSimulatedUser } from './scripted-simulated-user.js';
import type { SimulatedUser } from './simulated-user.js';

type Factories = { readonly [T in SimulatedUserConfig['type']]: (config: Extract<SimulatedUserConfig, { type: T }>, models: ModelPort | undefined, where: string) => SimulatedUser };

/** Every simulated-user kind and its factory, keyed by the config's `type`. */
const factories: Factories = {
  model: (config, models, where) => {
    const why = models === undefined ? 'no model provider is configured' : models.unavailable?.(config.model);
    if (models === undefined || !models.isConfigured(config.model)) {
      throw new EvalOpsError('config', `simulated user model "${config.model}" cannot be called: ${why ?? 'add its provider under providers: or set its API key'}`, { location: `${where}.model` });
    }
    return modelSimulatedUser(config, models);
  },
  scripted: (config) => scriptedSimulatedUser(config),
};

/**
 * The simulated user a config describes. `where` names the config field (`simulatedUser` or
 * `dataset.simulatedUser`) in errors.
 * @throws EvalOpsError('config') when its model cannot be called.
 */
export function createSimulatedUser(config: SimulatedUserConfig, models: ModelPort | undefined, where = 'simulatedUser'): SimulatedUser {
  const factory = factories[config.type] as (config: SimulatedUserConfig, models: ModelPort | undefined, where: string) => SimulatedUser;
  return factory(config, models, where);
}
