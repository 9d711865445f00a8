/**
 * An online rule's spec, read from the open record the API sends. Each field is checked for its
 * type; one that is missing or of another type reads as absent, so a page shows what it can and
 * never a wrong value.
 */

export interface RuleMetric {
  readonly name: string;
  /** The scorer type (judge, icontains, similarity, …). */
  readonly scorer: string;
  /** A session scorer's parameters in words ("at most 6 turns"); null for the others. */
  readonly detail: string | null;
  /** The scorer reads a whole conversation (a session rule's transcript). */
  readonly sessionLevel: boolean;
}

/** How a session rule decides a session is ready, and the flags it raises on sessions. */
export interface SessionSettingsView {
  readonly idleSeconds: number;
  /** The rule gives no session settings: the defaults apply. */
  readonly defaults: boolean;
  readonly flags: readonly string[];
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
  /** What one score is about: a trace, or a whole session once it is ready. */
  readonly target: 'traces' | 'sessions';
  /** With target sessions: readiness and session flags (defaults filled in); null otherwise. */
  readonly session: SessionSettingsView | null;
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

/** The scorers that read a whole conversation (src/core/scorer-config.ts). */
const SESSION_SCORERS: ReadonlySet<string> = new Set(['goal-completed', 'turns', 'per-turn', 'repeated-question', 'frustration', 'recovered']);

/** The defaults of src/core/online/online-rule.ts (SessionSettingsSchema) and session-flags.ts. */
const DEFAULT_IDLE_SECONDS = 900;
const DEFAULT_SESSION_FLAGS: readonly Json[] = [{ kind: 'long', maxTurns: 10 }, { kind: 'repeated_message' }, { kind: 'frustration', patterns: [] }];

/**
 * A session scorer's parameters in words; null for a scorer of one output.
 * @example scorerDetail({ type: 'turns', max: 6 }) // 'at most 6 turns'
 */
export function scorerDetail(scorer: Json): string | null {
  switch (str(scorer['type'])) {
    case 'turns':
      return num(scorer['max']) === null ? null : `at most ${num(scorer['max'])} turns`;
    case 'per-turn': {
      const inner = isRecord(scorer['scorer']) ? (str(scorer['scorer']['type']) ?? 'a scorer') : 'a scorer';
      const aggregate = str(scorer['aggregate']) ?? 'all';
      const min = num(scorer['min']);
      return `${inner} on each turn, ${aggregate === 'mean' ? `mean ≥ ${min ?? 0.5}` : aggregate === 'any' ? 'any turn passes' : 'every turn passes'}`;
    }
    case 'repeated-question':
      return `${str(scorer['who']) ?? 'both'} may not repeat (similarity ≥ ${num(scorer['threshold']) ?? 0.8})`;
    case 'frustration':
      return `at most ${num(scorer['maxSignals']) ?? 0} frustration signals`;
    case 'goal-completed':
      return `judge over the transcript${str(scorer['model']) ? ` (${str(scorer['model'])})` : ''}`;
    case 'recovered':
      return 'recovers after a failed tool call';
    default:
      return null;
  }
}

/**
 * One session flag in words, with its parameters.
 * @example sessionFlagInWords({ kind: 'long', maxTurns: 10 }) // 'long (more than 10 user turns)'
 */
export function sessionFlagInWords(flag: Json): string {
  const kind = str(flag['kind']) ?? 'unknown';
  const name = kind.replace(/_/g, ' ');
  if (kind === 'long' && num(flag['maxTurns']) !== null) return `${name} (more than ${num(flag['maxTurns'])} user turns)`;
  if (kind === 'frustration') {
    const extra = strings(flag['patterns']).length;
    return extra > 0 ? `${name} (+${extra} phrase${extra === 1 ? '' : 's'})` : name;
  }
  return name;
}

function sessionSettings(spec: Json): SessionSettingsView | null {
  if (spec['target'] !== 'sessions') return null;
  const given = isRecord(spec['session']) ? spec['session'] : null;
  return {
    idleSeconds: (given ? num(given['idleSeconds']) : null) ?? DEFAULT_IDLE_SECONDS,
    defaults: given === null,
    flags: (given && Array.isArray(given['flags']) ? records(given['flags']) : DEFAULT_SESSION_FLAGS).map(sessionFlagInWords),
  };
}

/**
 * A duration in seconds as people say it: 900 → "15 min", 90 → "90 s", 7200 → "2 h".
 * @example seconds(900) // '15 min'
 */
export function seconds(n: number): string {
  if (n >= 3600 && n % 3600 === 0) return `${n / 3600} h`;
  if (n >= 120 && n % 60 === 0) return `${n / 60} min`;
  return `${n} s`;
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
      const scorer = isRecord(m['scorer']) ? m['scorer'] : {};
      const type = str(scorer['type']) ?? 'unknown';
      return name === null ? [] : [{ name, scorer: type, detail: scorerDetail(scorer), sessionLevel: SESSION_SCORERS.has(type) }];
    }),
    flags: records(spec['flags']).map(flagInWords),
    reviewQueue: str(spec['reviewQueue']),
    budgetUsdPerDay: num(spec['budgetUsdPerDay']),
    settleSeconds: num(spec['settleSeconds']),
    cohortAttributes: strings(spec['cohortAttributes']),
    target: spec['target'] === 'sessions' ? 'sessions' : 'traces',
    session: sessionSettings(spec),
  };
}

/** A share as a short percentage: 1 → "100%", 0.1 → "10%", 0.005 → "0.5%". */
export const share = (x: number | null): string => (x === null ? '—' : `${Number((x * 100).toFixed(2))}%`);

/**
 * The flags a session rule raises: its session flags, and low judge confidence when its trace flags
 * name it (the only trace flag a session score also decides).
 */
export function sessionFlags(spec: RuleSpecView): string[] {
  return [...(spec.session?.flags ?? []), ...spec.flags.filter((f) => f === 'low judge confidence')];
}
