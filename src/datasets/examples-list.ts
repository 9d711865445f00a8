/**
 * The shape shared by JSON and YAML dataset files: a top-level list of examples, or an object whose
 * only key is `examples` holding that list.
 */
export type ExamplesList =
  | { readonly ok: true; readonly items: readonly unknown[]; readonly wrapped: boolean }
  | { readonly ok: false; readonly message: string };

const SHAPE = 'a dataset file holds a list of examples or { examples: [...] }';

/** @example examplesList({ examples: [{ input: 'hi' }] }) // { ok: true, items: [...], wrapped: true } */
export function examplesList(value: unknown): ExamplesList {
  if (Array.isArray(value)) return { ok: true, items: value, wrapped: false };
  if (value === null || typeof value !== 'object') {
    return { ok: false, message: `${SHAPE}, got ${value === null ? 'null' : typeof value}` };
  }
  const keys = Object.keys(value);
  const unknown = keys.filter((k) => k !== 'examples');
  if (unknown.length > 0) {
    return { ok: false, message: `unknown top-level key ${unknown.map((k) => `"${k}"`).join(', ')}; ${SHAPE}` };
  }
  const items = (value as { examples?: unknown }).examples;
  if (!Array.isArray(items)) return { ok: false, message: `"examples" must be a list; ${SHAPE}` };
  return { ok: true, items, wrapped: true };
}
