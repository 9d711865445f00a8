/**
 * An online rule's spec, read from the open record the API sends. Each field is checked for its
 * type; one that is missing or of another type reads as absent, so a page shows what it can and
 * never a wrong value.
 */

export interface RuleMetric {
  readonly name: string;
  /** The scorer type (judge, icontains, similarity, …). */
  readonly scorer: string;
}

export interface RuleSpecView {
  readonly description: string | null;
  /** Which traces the rule looks at, in words ("every trace" without a filter). */
  readonly filter: string;
  readonly sampleRate: number | null;
  readonly metrics: readonly RuleMetric[];
  /** The configured flags, in words. */
  readonly flags: readonly string[];
  readonly reviewQueue: string | null;
  readonly budgetUsdPerDay: number | null;
  readonly settleSeconds: number | null;
  readonly cohortAttributes: readonly string[];
}

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const records = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isRecord) : []);

const FEEDBACK_WORDS: Readonly<Record<string, string>> = { any: 'with feedback', negative: 'with negative feedback', positive: 'with positive feedback', none: 'without feedback' };

/**
 * The filter in words, its parts joined by " · ".
 * @example filterInWords({ releases: ['v1', 'v2'], spanKinds: ['LLM'] }) // 'release v1 or v2 · a span of kind LLM'
 */
export function filterInWords(filter: unknown): string {
  if (!isRecord(filter)) return 'every trace';
  const parts: string[] = [];
  const releases = strings(filter['releases']);
  if (releases.length > 0) parts.push(`release ${releases.join(' or ')}`);
  const services = strings(filter['services']);
  if (services.length > 0) parts.push(`service ${services.join(' or ')}`);
  const kinds = strings(filter['spanKinds']);
  if (kinds.length > 0) parts.push(`a span of kind ${kinds.join(' or ')}`);
  const attributes = filter['attributes'];
  if (isRecord(attributes)) for (const [k, v] of Object.entries(attributes)) parts.push(`${k} = ${JSON.stringify(v)}`);
  const feedback = str(filter['feedback']);
  if (feedback !== null) parts.push(FEEDBACK_WORDS[feedback] ?? `feedback ${feedback}`);
  return parts.length > 0 ? parts.join(' · ') : 'every trace';
}

/**
 * One flag in words, with its parameters.
 * @example flagInWords({ kind: 'long_session', minTraces: 8 }) // 'long session (≥ 8 traces)'
 */
export function flagInWords(flag: Json): string {
  const kind = str(flag['kind']) ?? 'unknown';
  const name = kind.replace(/_/g, ' ');
  if (kind === 'long_session' && num(flag['minTraces']) !== null) return `${name} (≥ ${num(flag['minTraces'])} traces)`;
  if (kind === 'repeated_question' && num(flag['similarity']) !== null) return `${name} (similarity ≥ ${num(flag['similarity'])})`;
  if (kind === 'frustration') {
    const extra = strings(flag['patterns']).length;
    return extra > 0 ? `${name} (+${extra} phrase${extra === 1 ? '' : 's'})` : name;
  }
  return name;
}

/**
 * The spec of a rule as the pages show it.
 * @example readRuleSpec({ sampleRate: 0.1, metrics: [{ name: 'cites', scorer: { type: 'icontains' } }] }).metrics // [{ name: 'cites', scorer: 'icontains' }]
 */
export function readRuleSpec(spec: Json): RuleSpecView {
  return {
    description: str(spec['description']),
    filter: filterInWords(spec['filter']),
    sampleRate: num(spec['sampleRate']),
    metrics: records(spec['metrics']).flatMap((m) => {
      const name = str(m['name']);
      return name === null ? [] : [{ name, scorer: (isRecord(m['scorer']) ? str(m['scorer']['type']) : null) ?? 'unknown' }];
    }),
    flags: records(spec['flags']).map(flagInWords),
    reviewQueue: str(spec['reviewQueue']),
    budgetUsdPerDay: num(spec['budgetUsdPerDay']),
    settleSeconds: num(spec['settleSeconds']),
    cohortAttributes: strings(spec['cohortAttributes']),
  };
}

/** A share as a short percentage: 1 → "100%", 0.1 → "10%", 0.005 → "0.5%". */
export const share = (x: number | null): string => (x === null ? '—' : `${Number((x * 100).toFixed(2))}%`);
