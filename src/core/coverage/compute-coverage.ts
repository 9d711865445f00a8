import { z } from 'zod';
import { SLICE_ATTRIBUTE_PREFIX } from './coverage-config.js';

/**
 * Coverage of production traffic by a dataset: which slices the traces of a window fall in, and how
 * many examples the dataset has of each. A trace is in the slices its spans' slice attributes name
 * (`evalops.slice.KEY`, or an attribute the config maps to KEY). A slice with fewer than `k` examples
 * is uncovered, and so is every trace in at least one uncovered slice. Traces without any slice
 * attribute cannot be placed: counted apart, outside the covered share. Pure.
 */

/** Traces of the window sharing one set of slice attributes (as the store groups them). */
export interface TraceGroup {
  /** [attribute, value] pairs, in any order. */
  readonly attributes: readonly (readonly [string, string])[];
  readonly traces: number;
  /** A few trace ids of the group, for the report. */
  readonly exampleTraceIds: readonly string[];
  /** Traces per UTC day (start of the day, epoch ms), when the store counted them by day. */
  readonly byDay?: ReadonlyMap<number, number>;
}

export const SliceCoverageSchema = z.object({
  slice: z.string(),
  traces: z.number().int(),
  share: z.number().describe('share of the sliced traffic in this slice'),
  examples: z.number().int(),
  datasetShare: z.number().describe("share of the dataset's examples in this slice"),
  covered: z.boolean(),
  exampleTraceIds: z.array(z.string()),
  /** The slice's share of each day's sliced traffic, oldest first: a slice drifting in or out shows here. */
  trend: z.array(z.object({ day: z.string(), share: z.number() })),
  /** When the slice's newest example first entered the dataset (null: no example, or unknown). */
  newestExampleAt: z.string().nullable(),
});
export type SliceCoverage = z.infer<typeof SliceCoverageSchema>;

export const CoverageFiguresSchema = z.object({
  traces: z.number().int().describe('traces in the window'),
  sliced: z.number().int().describe('traces with at least one slice attribute'),
  covered: z.number().int().describe('sliced traces whose every slice has at least k examples'),
  coveredShare: z.number().nullable().describe('covered ÷ sliced; null when no trace is sliced'),
  uncoveredShare: z.number().nullable(),
  slices: z.array(SliceCoverageSchema).describe('every slice of production or the dataset, most traffic first'),
  uncovered: z.array(SliceCoverageSchema).describe('uncovered slices with traffic, most traffic first'),
});
export type CoverageFigures = z.infer<typeof CoverageFiguresSchema>;

export interface CoverageInput {
  readonly totalTraces: number;
  readonly groups: readonly TraceGroup[];
  /** Examples per slice of the dataset version. */
  readonly datasetSlices: ReadonlyMap<string, number>;
  readonly datasetSize: number;
  /** Configured span attribute → slice key (besides `evalops.slice.KEY`). */
  readonly attributes: ReadonlyMap<string, string>;
  readonly k: number;
  /** Trace ids kept per slice. */
  readonly examplesPerSlice?: number;
  /** When each slice's newest example first entered the dataset (ISO time). */
  readonly newestExampleAt?: ReadonlyMap<string, string>;
}

/** `evalops.slice.intent` / a mapped attribute and its value → `intent:refund` (spaces become "_"). */
export function sliceOf(attribute: string, value: string, mapped: ReadonlyMap<string, string>): string | null {
  const key = attribute.startsWith(SLICE_ATTRIBUTE_PREFIX) ? attribute.slice(SLICE_ATTRIBUTE_PREFIX.length) : mapped.get(attribute);
  if (key === undefined || key === '') return null;
  const v = value.trim().replace(/\s+/g, '_');
  return v === '' ? null : `${key}:${v}`;
}

/** @example computeCoverage({ totalTraces: 10, groups, datasetSlices, datasetSize: 300, attributes: new Map(), k: 5 }).coveredShare */
export function computeCoverage(input: CoverageInput): CoverageFigures {
  const keep = input.examplesPerSlice ?? 3;
  const traffic = new Map<string, { traces: number; ids: string[]; byDay: Map<number, number> }>();
  const slicedByDay = new Map<number, number>();
  let sliced = 0;
  let covered = 0;
  for (const g of input.groups) {
    const slices = new Set<string>();
    for (const [a, v] of g.attributes) {
      const s = sliceOf(a, v, input.attributes);
      if (s !== null) slices.add(s);
    }
    if (slices.size === 0) continue;
    sliced += g.traces;
    for (const [day, n] of g.byDay ?? []) slicedByDay.set(day, (slicedByDay.get(day) ?? 0) + n);
    let all = true;
    for (const s of slices) {
      const t = traffic.get(s) ?? { traces: 0, ids: [], byDay: new Map<number, number>() };
      t.traces += g.traces;
      for (const [day, n] of g.byDay ?? []) t.byDay.set(day, (t.byDay.get(day) ?? 0) + n);
      for (const id of g.exampleTraceIds) if (t.ids.length < keep && !t.ids.includes(id)) t.ids.push(id);
      traffic.set(s, t);
      if ((input.datasetSlices.get(s) ?? 0) < input.k) all = false;
    }
    if (all) covered += g.traces;
  }
  const days = [...slicedByDay.keys()].sort((a, b) => a - b);
  const names = new Set([...traffic.keys(), ...input.datasetSlices.keys()]);
  const slices: SliceCoverage[] = [...names].map((slice) => {
    const t = traffic.get(slice);
    const examples = input.datasetSlices.get(slice) ?? 0;
    return {
      slice,
      traces: t?.traces ?? 0,
      share: sliced > 0 ? (t?.traces ?? 0) / sliced : 0,
      examples,
      datasetShare: input.datasetSize > 0 ? examples / input.datasetSize : 0,
      covered: examples >= input.k,
      exampleTraceIds: t?.ids ?? [],
      trend: days.map((day) => ({ day: new Date(day).toISOString().slice(0, 10), share: (t?.byDay.get(day) ?? 0) / (slicedByDay.get(day) as number) })),
      newestExampleAt: input.newestExampleAt?.get(slice) ?? null,
    };
  });
  slices.sort((a, b) => b.traces - a.traces || b.examples - a.examples || (a.slice < b.slice ? -1 : 1));
  return {
    traces: input.totalTraces,
    sliced,
    covered,
    coveredShare: sliced > 0 ? covered / sliced : null,
    uncoveredShare: sliced > 0 ? (sliced - covered) / sliced : null,
    slices,
    uncovered: slices.filter((s) => !s.covered && s.traces > 0),
  };
}
