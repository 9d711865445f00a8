import type { z } from 'zod';

interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly options?: readonly z.ZodType[];
  readonly element?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly out?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly left?: z.ZodType;
  readonly right?: z.ZodType;
  readonly items?: readonly z.ZodType[];
  readonly getter?: () => z.ZodType;
}

/**
 * Every field name a schema knows, at any depth: what an unknown field is compared with for "did
 * you mean". Walks zod's public `def` of each schema; recursion (lazy schemas) is cut by a seen set.
 * @example schemaKeys(z.object({ a: z.object({ b: z.string() }) })) // ['a', 'b']
 */
export function schemaKeys(schema: z.ZodType): string[] {
  const keys = new Set<string>();
  const seen = new Set<z.ZodType>();
  const walk = (s: z.ZodType | undefined): void => {
    if (s === undefined || seen.has(s)) return;
    seen.add(s);
    const def = (s as unknown as { def: Def }).def;
    if (def.shape) for (const [k, v] of Object.entries(def.shape)) (keys.add(k), walk(v));
    for (const o of def.options ?? []) walk(o);
    for (const o of def.items ?? []) walk(o);
    for (const o of [def.element, def.innerType, def.in, def.out, def.valueType, def.left, def.right]) walk(o);
    if (def.type === 'lazy' && def.getter) walk(def.getter());
  };
  walk(schema);
  return [...keys];
}
