/**
 * bench/plan-accuracy: do the planner's power figures (src/core/plan) match what the gate's own test
 * does? For a grid — n ∈ {200, 1000}, ρ ∈ {0, 0.33}, drop ∈ {3, 5} points, base rate 80%, and two
 * weights in the correction (1: a lone test, capped at one-sided 2.5% by the 95% interval; 1/6: a
 * metric's whole-dataset test among 3 metrics with slices) — it simulates paired runs, runs the gate's
 * test on each (compareMetric: exact McNemar p and Newcombe interval; the first step of the weighted
 * Holm correction, p_one-sided / w; verdictFor) and compares the share flagged `regressed` with
 * powerFor(). Two data models: "cells", the planner's own 2×2 model (pairs drawn from p11, p10, p01,
 * p00), and "beta", the per-example Beta model of bench/gate-accuracy.ts (ρ = 1/(κ+1)).
 * Budget (issue 13): every figure within ±3 points of the simulation.
 *
 *   node --import tsx bench/plan-accuracy.ts [--sims N] [--seed S]
 *
 * Writes bench/.work/plan-accuracy.{md,json}; exit 0 when within budget, 1 otherwise.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compareMetric, verdictFor } from '../src/core/compare-metric.js';
import type { PairedObservation } from '../src/core/comparison.js';
import { powerFor } from '../src/core/plan/detectable-effect.js';
import { pairedCells } from '../src/core/plan/mcnemar-power.js';
import { seededRandom, type SeededRandom } from '../src/core/stats/seeded-random.js';
import { syntheticComparison } from './gate-accuracy-data.js';

const BUDGET = 0.03;
const BASE = 0.8;

function cellsObservations(n: number, drop: number, rho: number, random: SeededRandom): PairedObservation[] {
  const { p10, p01 } = pairedCells(BASE, drop, rho);
  const p11 = BASE - p10;
  const out: PairedObservation[] = [];
  for (let i = 0; i < n; i++) {
    const u = random.next();
    const [b, c] = u < p11 ? [1, 1] : u < p11 + p10 ? [1, 0] : u < p11 + p10 + p01 ? [0, 1] : [0, 0];
    out.push({ exampleId: `e${i}`, baseline: b, candidate: c, baselineTrials: 1, candidateTrials: 1, baselineTrialVariance: 0, candidateTrialVariance: 0 });
  }
  return out;
}

function betaObservations(n: number, drop: number, rho: number, random: SeededRandom): PairedObservation[] {
  const concentration = rho === 0 ? Infinity : 1 / rho - 1;
  const data = syntheticComparison({ n, slices: 1, metrics: 1, baseRate: BASE, concentration, effect: { kind: 'uniform', to: BASE - drop }, trials: 1 }, random);
  return [...(data.observations.get('metric_0') ?? [])];
}

function simulate(model: 'cells' | 'beta', n: number, drop: number, rho: number, weight: number, sims: number, seed: number): number {
  const random = seededRandom(seed);
  let flagged = 0;
  for (let k = 0; k < sims; k++) {
    const obs = model === 'cells' ? cellsObservations(n, drop, rho, random) : betaObservations(n, drop, rho, random);
    const c = compareMetric('m', null, obs, { binary: true, seed: k });
    if (c.pValue === null || c.delta === null) continue;
    const oneSided = c.delta < 0 ? c.pValue / 2 : 1 - c.pValue / 2;
    if (verdictFor(c, Math.min(1, oneSided / weight)) === 'regressed') flagged++;
  }
  return flagged / sims;
}

const pts = (x: number): string => `${(100 * x).toFixed(1)}%`;

function main(): number {
  const { values } = parseArgs({ options: { sims: { type: 'string' }, seed: { type: 'string' } } });
  const sims = values.sims ? Number.parseInt(values.sims, 10) : 4000;
  const seed = values.seed ? Number.parseInt(values.seed, 10) : 20_261_206;
  const started = performance.now();
  const rows: { model: string; n: number; rho: number; drop: number; weight: number; planner: number; simulated: number; diff: number; ok: boolean }[] = [];
  let s = seed;
  for (const model of ['cells', 'beta'] as const) {
    for (const n of [200, 1000]) {
      for (const rho of [0, 0.33]) {
        for (const drop of [0.03, 0.05]) {
          for (const weight of [1, 1 / 6]) {
            const planner = powerFor({ n, baseRate: BASE, rho, weight }, drop);
            const simulated = simulate(model, n, drop, rho, weight, sims, s++);
            const diff = planner - simulated;
            rows.push({ model, n, rho, drop, weight, planner, simulated, diff, ok: Math.abs(diff) <= BUDGET });
          }
        }
      }
    }
  }
  const mc = Math.sqrt(0.25 / sims);
  const lines = [
    '## Planner accuracy (bench/plan-accuracy.ts)',
    '',
    `Budget: the planner's power within ±${(BUDGET * 100).toFixed(0)} points of the simulated gate. ${sims} seeded simulations per row (seed ${seed}; Monte Carlo standard error at most ${(100 * mc).toFixed(1)} points). Base rate 80%.`,
    '',
    '| data model | n | ρ | drop | weight (level) | planner | simulated gate | difference | verdict |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.model} | ${r.n} | ${r.rho} | ${(r.drop * 100).toFixed(0)} pts | ${r.weight === 1 ? '1 (2.5%)' : '1/6 (0.83%)'} | ${pts(r.planner)} | ${pts(r.simulated)} | ${(100 * r.diff).toFixed(1)} pts | ${r.ok ? 'PASS' : 'FAIL'} |`),
    '',
    `Largest difference: ${(100 * Math.max(...rows.map((r) => Math.abs(r.diff)))).toFixed(1)} points. Runtime ${((performance.now() - started) / 1000).toFixed(1)} s.`,
    '',
  ];
  const markdown = lines.join('\n');
  process.stdout.write(markdown);
  const workDir = join(dirname(fileURLToPath(import.meta.url)), '.work');
  mkdirSync(workDir, { recursive: true });
  writeFileSync(join(workDir, 'plan-accuracy.md'), markdown);
  writeFileSync(join(workDir, 'plan-accuracy.json'), `${JSON.stringify({ seed, sims, budget: BUDGET, rows }, null, 2)}\n`);
  return rows.every((r) => r.ok) ? 0 : 1;
}

process.exitCode = main();
