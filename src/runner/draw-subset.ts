import type { LoadedConfig } from '../config/load-config.js';
import { EvalOpsError } from '../core/errors.js';
import type { Example } from '../core/example.js';
import { ASSUMED_BASE_RATE, ASSUMED_RHO } from '../core/plan/gate-visibility.js';
import { examplesNeeded } from '../core/plan/detectable-effect.js';
import { selectSubset } from '../core/subset/select-subset.js';
import type { RunSubset, SubsetSpec } from '../core/subset/subset-spec.js';
import { planGate } from '../gate/plan-gate.js';
import type { Store } from '../store/store.js';

/** An example is critical — always in every subset — when its metadata says `critical: true`. */
export function isCritical(example: Example): boolean {
  return example.metadata.critical === true;
}

/**
 * `evalops run --subset NAME`: the config's subset of that name drawn from the dataset version's
 * examples. A `detect:` subset is as large as the planner says the gate's noRegression rules need to
 * catch the drop with the power asked (the largest over the rules' whole-dataset tests, at their
 * measured pass rates and discordance where earlier runs give them).
 */
export async function drawSubset(store: Store, loaded: LoadedConfig, name: string, examples: readonly Example[]): Promise<{ subset: RunSubset; examples: readonly Example[] }> {
  const { config } = loaded;
  const spec = config.subsets?.[name];
  if (spec === undefined) {
    const known = Object.keys(config.subsets ?? {});
    throw new EvalOpsError('usage', `no subset "${name}" in the config; ${known.length ? `configured: ${known.join(', ')}` : 'add one under subsets:, e.g. subsets: { pr: { size: 300 } }'}`, { location: '--subset' });
  }
  const n = examples.length;
  const requested = await requestedSize(store, loaded, name, spec, examples);
  const selection = selectSubset(examples, { size: requested, seed: spec.seed, minPerSlice: spec.minPerSlice, isCritical });
  const chosen = Array.from(selection.indices, (i) => examples[i] as Example);
  return {
    examples: chosen,
    subset: {
      name,
      spec: { ...(spec.size !== undefined ? { size: spec.size } : {}), ...(spec.share !== undefined ? { share: spec.share } : {}), ...(spec.detect ? { detect: spec.detect } : {}) },
      seed: spec.seed,
      minPerSlice: spec.minPerSlice,
      size: chosen.length,
      datasetSize: n,
      requested,
      critical: selection.critical,
      slices: selection.slices,
    },
  };
}

async function requestedSize(store: Store, loaded: LoadedConfig, name: string, spec: SubsetSpec, examples: readonly Example[]): Promise<number> {
  const n = examples.length;
  if (spec.size !== undefined) {
    if (spec.size > n) throw new EvalOpsError('config', `a subset of ${spec.size} examples is larger than the dataset's ${n}`, { location: `subsets.${name}.size` });
    return spec.size;
  }
  if (spec.share !== undefined) return Math.max(1, Math.ceil(spec.share * n));
  const detect = spec.detect as NonNullable<SubsetSpec['detect']>;
  const needed = await plannedSize(store, loaded, examples, detect.drop, detect.power);
  const what = `catching a drop of ${(detect.drop * 100).toFixed(1)} pts with ${(detect.power * 100).toFixed(0)}% power`;
  if (needed === null) throw new EvalOpsError('config', `${what} is impossible: the drop is larger than the baseline pass rate`, { location: `subsets.${name}.detect.drop` });
  if (needed > n) throw new EvalOpsError('config', `${what} needs ${needed} paired examples; the dataset has ${n}: ask for a larger drop or run the full suite`, { location: `subsets.${name}.detect.drop` });
  return needed;
}

/** The planner's answer: the largest n any noRegression rule's whole-dataset test needs. */
async function plannedSize(store: Store, loaded: LoadedConfig, examples: readonly Example[], drop: number, power: number): Promise<number | null> {
  const { config } = loaded;
  const slices: Record<string, number> = {};
  for (const e of examples) for (const s of e.slices) slices[s] = (slices[s] ?? 0) + 1;
  if (!config.gate || !config.gate.rules.some((r) => r.noRegression)) {
    return examplesNeeded({ baseRate: ASSUMED_BASE_RATE, rho: ASSUMED_RHO, weight: 1 }, drop, power);
  }
  const plan = await planGate(store, config.project, {
    policy: config.gate,
    metrics: config.metrics.map((m) => ({ name: m.name, lifecycle: m.lifecycle, ...(m.failureClass ? { failureClass: m.failureClass } : {}), ...(m.primary ? { primary: true } : {}) })),
    dataset: { name: config.dataset.name, n: examples.length, slices },
  });
  let most = 0;
  for (const row of plan.visibility.rows) {
    if (row.slice !== null) continue;
    const needed = examplesNeeded({ baseRate: row.baseRate, rho: row.rho, weight: row.weight }, drop, power);
    if (needed === null) return null;
    most = Math.max(most, needed);
  }
  return most || examplesNeeded({ baseRate: ASSUMED_BASE_RATE, rho: ASSUMED_RHO, weight: 1 }, drop, power);
}
