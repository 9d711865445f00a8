import type { RowError } from './raw-row.js';

/**
 * Accepted spellings of an example's slices, turned into a `key:value` list (duplicates dropped,
 * order kept): a list of strings, one string separated by `;`, `|` or `,` (as in a CSV cell), or an
 * object `{ intent: refund, lang: [es, en] }`. The `key:value` form itself is checked by SliceSchema.
 * @example normaliseSlices({ intent: 'refund' }, 4) // { slices: ['intent:refund'], errors: [] }
 */
export function normaliseSlices(value: unknown, line: number): { slices: string[]; errors: RowError[] } {
  const slices: string[] = [];
  const errors: RowError[] = [];
  if (value === undefined || value === null) return { slices, errors };
  if (typeof value === 'string') {
    slices.push(...value.split(/[;|,]/).map((s) => s.trim()).filter((s) => s !== ''));
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (typeof item === 'string') slices.push(item.trim());
      else errors.push({ line, field: `slices.${i}`, message: `a slice is a "key:value" string, got ${describe(item)}` });
    });
  } else if (typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const values: unknown[] = Array.isArray(v) ? v : [v];
      for (const one of values) {
        if (isScalar(one)) slices.push(`${key}:${String(one).trim()}`);
        else errors.push({ line, field: `slices.${key}`, message: `a slice value is a string, number or boolean, got ${describe(one)}` });
      }
    }
  } else {
    errors.push({ line, field: 'slices', message: `slices must be a list of "key:value" strings or an object, got ${describe(value)}` });
  }
  return { slices: [...new Set(slices)], errors };
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`;
}
