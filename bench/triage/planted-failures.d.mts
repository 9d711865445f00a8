/** Types of planted-failures.mjs for the TypeScript tests that share it. */
export interface PlantedItem {
  key: string;
  exampleId: string;
  input: string;
  output: string;
  reason: string;
  slices: string[];
  failingMetrics: string[];
}
export function plantedFailures(count: number, seed?: number): { items: PlantedItem[]; modes: string[]; modeCount: number };
