/**
 * `{{input.x}}`, `{{expected.y}}`, `{{metadata.z}}` templates (DESIGN.md §5). A path that resolves to
 * an object is inserted as JSON; a missing path renders as the empty string. `{{input}}` alone is the
 * whole input.
 */
export interface TemplateScope {
  readonly input?: unknown;
  readonly expected?: unknown;
  readonly metadata?: unknown;
  readonly [key: string]: unknown;
}

const TEMPLATE = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

/**
 * The placeholder paths of a template, in order of first use, without repeats.
 * @example templatePaths('{{input.q}} and {{ metadata.lang }} {{input.q}}') // ['input.q', 'metadata.lang']
 */
export function templatePaths(text: string): string[] {
  const paths = new Set<string>();
  for (const m of text.matchAll(TEMPLATE)) paths.add(m[1] as string);
  return [...paths];
}

export function hasTemplate(text: string): boolean {
  TEMPLATE.lastIndex = 0;
  return TEMPLATE.test(text);
}

/** @example renderTemplate('Hi {{input.name}}', { input: { name: 'Ada' } }) // 'Hi Ada' */
export function renderTemplate(text: string, scope: TemplateScope): string {
  if (!text.includes('{{')) return text;
  return text.replace(TEMPLATE, (_, path: string) => stringify(lookupPath(scope, path)));
}

/** Renders every string inside a JSON-like value (for body templates, tool arguments). */
export function renderDeep(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === 'string') {
    // A string that is exactly one placeholder keeps the value's type (numbers stay numbers).
    const whole = /^\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}$/.exec(value);
    if (whole) return lookupPath(scope, whole[1] as string) ?? '';
    return renderTemplate(value, scope);
  }
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, scope));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, scope)]));
  }
  return value;
}

/** Reads `a.b.0.c` from a value; undefined when any step is missing. */
export function lookupPath(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const part of path.split('.')) {
    if (cur === null || cur === undefined) return undefined;
    if (typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function stringify(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
