import type { LoadedConfig } from '../config/load-config.js';
import { planGate } from '../gate/plan-gate.js';
import type { Store } from '../store/store.js';

/**
 * The planner's warnings for a config's gate, for `evalops run` to print once the dataset is stored:
 * rules that cannot fire at this dataset's size are said at config time, not discovered at gate time.
 * A planner failure never fails the run: it is reported as a warning of its own. Only the new run
 * and the one before are read (pass rates, one pair for the discordance), to keep a large run fast.
 */
export async function planWarnings(store: Store, loaded: LoadedConfig): Promise<string[]> {
  const { config } = loaded;
  if (!config.gate?.rules.some((r) => r.noRegression)) return [];
  try {
    const report = await planGate(store, config.project, {
      policy: config.gate,
      metrics: config.metrics.map((m) => ({ name: m.name, lifecycle: m.lifecycle, ...(m.failureClass ? { failureClass: m.failureClass } : {}), ...(m.primary ? { primary: true } : {}) })),
      dataset: { name: config.dataset.name },
    }, { runsToRead: 2 });
    return report.warnings;
  } catch (e) {
    return [`the gate planner could not run: ${(e as Error).message}`];
  }
}
