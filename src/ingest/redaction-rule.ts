import { z } from 'zod';

/**
 * Redaction rules as configured: a built-in by name, or a custom regular expression.
 * ```yaml
 * redact: [email, api_key, private_key, credit_card, { name: ticket, pattern: "TICKET-\\d+", replacement: "TICKET-?" }]
 * ```
 */

export const BUILTIN_REDACTIONS = ['email', 'api_key', 'private_key', 'credit_card'] as const;
export const BuiltinRedactionSchema = z.enum(BUILTIN_REDACTIONS);
export type BuiltinRedaction = z.infer<typeof BuiltinRedactionSchema>;

/**
 * What the server redacts when nobody says otherwise: secrets (API keys and bearer tokens, private
 * key blocks) and card numbers. E-mail addresses are often the data itself (support traffic), so
 * their redaction is opted into.
 */
export const DEFAULT_REDACTIONS: readonly BuiltinRedaction[] = ['api_key', 'private_key', 'credit_card'];

/**
 * The rules of `evalops serve --redact LIST` (or EVALOPS_REDACT): unset, the defaults; `none`, no
 * redaction; otherwise the defaults plus the listed built-ins (`default` names the defaults, so
 * `--redact email` adds e-mail to them). `none` with other names gives exactly those names. An
 * unknown name is refused by createRedactor, which names it.
 * @example redactionRulesFromList('email') // ['api_key', 'private_key', 'credit_card', 'email']
 */
export function redactionRulesFromList(list: string | undefined): string[] {
  if (list === undefined || list.trim() === '') return [...DEFAULT_REDACTIONS];
  const names = list.split(',').map((r) => r.trim()).filter(Boolean);
  const base: string[] = names.includes('none') ? [] : [...DEFAULT_REDACTIONS];
  for (const name of names) {
    if (name === 'none') continue;
    for (const rule of name === 'default' ? DEFAULT_REDACTIONS : [name]) if (!base.includes(rule)) base.push(rule);
  }
  return base;
}

export const CustomRedactionRuleSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'a rule name is letters, digits, ".", "_" or "-"'),
    pattern: z.string().min(1),
    /** Flags of the regular expression besides `g`, which is always on: any of i, m, s, u. */
    flags: z
      .string()
      .regex(/^[imsu]*$/, 'flags may only be i, m, s and u ("g" is always on)')
      .optional(),
    /** What a match becomes; `$1`… refer to groups. Default `[REDACTED:<name>]`. */
    replacement: z.string().optional(),
  })
  .superRefine((rule, ctx) => {
    let compiled: RegExp;
    try {
      compiled = new RegExp(rule.pattern, rule.flags ?? '');
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: `invalid regular expression: ${(e as Error).message}` });
      return;
    }
    if (compiled.test('')) {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'the pattern matches the empty string, so it would redact between every character' });
    }
  });
export type CustomRedactionRule = z.infer<typeof CustomRedactionRuleSchema>;

export const RedactionRuleSchema = z.union([BuiltinRedactionSchema, CustomRedactionRuleSchema]);
export type RedactionRule = z.infer<typeof RedactionRuleSchema>;

export const RedactionRulesSchema = z.array(RedactionRuleSchema).superRefine((rules, ctx) => {
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    const name = typeof rule === 'string' ? rule : rule.name;
    if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [index], message: `a second rule named "${name}"` });
    seen.add(name);
  });
});

/** The name a rule's replacements carry: `[REDACTED:<name>]`. */
export function redactionRuleName(rule: RedactionRule): string {
  return typeof rule === 'string' ? rule : rule.name;
}
