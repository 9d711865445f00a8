import type { ComparePairedInput, PairedRowsSide } from './compare-paired.js';
import type { ScoreCell } from './impute-missing.js';
import { seededRandom } from './stats/seeded-random.js';

/**
 * Seeded comparison inputs that exercise every branch of comparePaired: pass/fail and graded metrics,
 * repeated trials, target and scorer errors, skipped scores, scored rows without a value, examples
 * missing from the candidate, candidate-only examples, examples in several (and repeated) slices, ids
 * whose code-unit order differs from their locale order, and a metric unchanged everywhere (constant
 * deltas). compare-paired.test.ts compares comparePaired's output on them with the figures the
 * row-by-row implementation it replaced produced (test/fixtures/compare-paired/reference.json).
 */
export function comparePairedScenarios(): { name: string; input: ComparePairedInput }[] {
  return [
    scenario('binary, one trial', { seed: 1, n: 240, trials: 1, graded: false }),
    scenario('graded, one trial', { seed: 2, n: 240, trials: 1, graded: true }),
    scenario('repeats of 3, errors and missing', { seed: 3, n: 180, trials: 3, graded: true, errors: 0.05, missing: 0.03 }),
    scenario('binary with errors, skipped and candidate-only', { seed: 4, n: 300, trials: 1, graded: false, errors: 0.04, skipped: 0.05, candidateOnly: 7 }),
    scenario('small slices (exact sign-flip), repeats of 2', { seed: 5, n: 60, trials: 2, graded: true, errors: 0.02 }),
  ];
}

interface Spec {
  readonly seed: number;
  readonly n: number;
  readonly trials: number;
  readonly graded: boolean;
  readonly errors?: number;
  readonly skipped?: number;
  readonly missing?: number;
  readonly candidateOnly?: number;
}

const SLICES = ['lang:en', 'lang:es', 'lang:ÿ', 'intent:refund', 'intent:Status', 'intent:status', 'topic:a'];

function scenario(name: string, spec: Spec): { name: string; input: ComparePairedInput } {
  const r = seededRandom(spec.seed);
  const metrics = ['ok', 'grade', 'same'];
  const id = (i: number): string => (i % 11 === 0 ? `E${i}` : i % 13 === 0 ? `é${i}` : `e${i}`);
  const slices = new Map<string, string[]>();
  const quality: number[] = [];
  for (let i = 0; i < spec.n + (spec.candidateOnly ?? 0); i++) {
    const own = SLICES.filter(() => r.next() < 0.35);
    if (i % 17 === 0) own.push(own[0] ?? 'topic:a');
    slices.set(id(i), own);
    quality.push(r.next());
  }
  const side = (which: 'baseline' | 'candidate'): PairedRowsSide => {
    const rows: ScoreCell[] = [];
    const errors: { exampleId: string; trial: number; error: string }[] = [];
    const exampleIds: string[] = [];
    const count = which === 'baseline' ? spec.n : spec.n + (spec.candidateOnly ?? 0);
    for (let i = 0; i < count; i++) {
      if (which === 'candidate' && i < spec.n && r.next() < (spec.missing ?? 0)) continue;
      exampleIds.push(id(i));
      for (let t = 0; t < spec.trials; t++) {
        if (r.next() < (spec.errors ?? 0)) {
          errors.push({ exampleId: id(i), trial: t, error: 'timed out' });
          continue;
        }
        const shift = which === 'candidate' ? -0.06 : 0;
        for (const metric of metrics) {
          const u = r.next();
          if (metric !== 'same' && u < (spec.skipped ?? 0)) {
            rows.push({ exampleId: id(i), trial: t, metric, status: 'skipped', value: null, pass: null });
          } else if (metric !== 'same' && u > 0.985) {
            rows.push({ exampleId: id(i), trial: t, metric, status: 'errored', value: null, pass: null });
          } else if (metric === 'grade' && u > 0.975) {
            rows.push({ exampleId: id(i), trial: t, metric, status: 'scored', value: null, pass: null });
          } else {
            const q = quality[i] as number;
            const value = metric === 'same' ? (spec.graded ? q : q < 0.7 ? 1 : 0) : spec.graded ? Math.min(1, Math.max(0, q + shift + 0.2 * (r.next() - 0.5))) : r.next() < q + shift + 0.2 ? 1 : 0;
            rows.push({ exampleId: id(i), trial: t, metric, status: 'scored', value, pass: value >= 0.5 });
          }
        }
      }
    }
    return { rows, errors, exampleIds };
  };
  const baseline = side('baseline');
  const candidate = side('candidate');
  const cIds = new Set(candidate.exampleIds);
  return {
    name,
    input: { baseline, candidate, metrics, slices, missingInCandidate: baseline.exampleIds.filter((e) => !cIds.has(e)), seed: 20_261_122 + spec.seed, iterations: 500 },
  };
}
