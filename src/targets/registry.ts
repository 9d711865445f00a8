import { commandTarget } from './command-target.js';
import { httpTarget } from './http-target.js';
import { modelTarget } from './model-target.js';
import { moduleTarget } from './module-target.js';
import type { TargetRegistry } from './target.js';

/** Every target kind and its factory; keyed by the target-type enum, so a new kind must be added here. */
export const targetRegistry: TargetRegistry = {
  module: moduleTarget,
  command: commandTarget,
  http: httpTarget,
  model: modelTarget,
};
