import type { BuiltinRedaction } from './redaction-rule.js';

/**
 * A compiled redaction: `applies` is a cheap test (a substring or a short literal alternation) run
 * before the full expression, so the common text — which holds no secret at all — costs almost
 * nothing; `minLength` skips strings too short to hold a match.
 */
export interface CompiledRedaction {
  readonly name: string;
  readonly minLength: number;
  readonly applies: (text: string) => boolean;
  readonly redact: (text: string) => string;
}

/** The built-in rules, one per name (a new name without an entry here fails to compile). */
export const BUILTIN_REDACTION_FACTORIES: Readonly<Record<BuiltinRedaction, () => CompiledRedaction>> = {
  email: () => {
    // Bounded parts (RFC 5321 limits) and a start-of-token lookbehind keep matching linear in the text.
    const pattern = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;
    const replacement = '[REDACTED:email]';
    return {
      name: 'email',
      minLength: 6,
      applies: (text) => text.includes('@'),
      redact: (text) => text.replace(pattern, replacement),
    };
  },
  api_key: () => {
    // OpenAI / Anthropic (sk-…), Stripe secret and restricted keys (sk_live_…, sk_test_…, rk_…), EvalOps
    // keys (eo_<prefix>_<secret>), AWS access key ids (AKIA…, ASIA…), GitHub tokens (ghp_…,
    // github_pat_…), Slack tokens (xox?-…), Google API keys (AIza…), JWTs (eyJ….….…).
    const keys =
      /(?<![A-Za-z0-9_-])(?:sk-[A-Za-z0-9_-]{20,}|[sr]k_(?:live|test)_[A-Za-z0-9]{10,}|eo_[a-z0-9]{8}_[A-Za-z0-9_-]{43}|(?:AKIA|ASIA)[A-Z0-9]{16}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})(?![A-Za-z0-9])/g;
    // The scheme word stays, so "Authorization: Bearer …" still reads as what it was. A token has a
    // digit somewhere (random tokens do), which spares prose such as "the bearer instrument".
    const bearer = /\b(Bearer|bearer|BEARER)(\s+)(?=[A-Za-z._~+/-]*\d)[A-Za-z0-9._~+/-]{12,}=*/g;
    const guard = /sk-|[sr]k_live_|[sr]k_test_|eo_|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abposr]-|AIza|eyJ|[Bb]earer|BEARER/;
    return {
      name: 'api_key',
      minLength: 15,
      applies: (text) => guard.test(text),
      redact: (text) => text.replace(keys, '[REDACTED:api_key]').replace(bearer, '$1$2[REDACTED:api_key]'),
    };
  },
  private_key: () => {
    // PEM private keys (RSA, EC, OpenSSH, PKCS#8, encrypted): the whole block, header to footer. The
    // body is bounded, so a header without a footer costs one bounded scan; such a truncated key is
    // redacted from its header through the base64 lines that follow.
    const block = /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----[\s\S]{0,65536}?-----END [A-Z0-9 ]{0,64}-----/g;
    const orphan = /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----[A-Za-z0-9+/=:, \t\r\n-]*/g;
    const replacement = '[REDACTED:private_key]';
    return {
      name: 'private_key',
      minLength: 30,
      applies: (text) => text.includes('PRIVATE KEY-----'),
      redact: (text) => text.replace(block, replacement).replace(orphan, replacement),
    };
  },
  credit_card: () => {
    // 13–19 digits, optionally grouped by spaces or dashes, starting as card numbers do (2–6: Mastercard,
    // Amex, Diners, JCB, Visa, Discover, UnionPay), kept only when the Luhn check passes: so order
    // numbers, epoch timestamps (1…) and most numeric ids survive.
    const candidate = /(?<![\d-])[2-6](?:[ -]?\d){12,18}(?!\d)/g;
    const guard = /\d{4}/;
    const replace = (match: string) => (luhnValid(match.replace(/[ -]/g, '')) ? '[REDACTED:credit_card]' : match);
    return {
      name: 'credit_card',
      minLength: 13,
      applies: (text) => guard.test(text),
      redact: (text) => text.replace(candidate, replace),
    };
  },
};

/**
 * The Luhn checksum of a digit string (ISO/IEC 7812), which every payment card number satisfies.
 * @example luhnValid('4111111111111111') // true
 */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}
