import type { Span, SpanKind } from '../span.js';
import type { OnlineFilter } from './online-rule.js';

/** What the filter looks at for one trace. */
export interface FilterFacts {
  readonly root: Pick<Span, 'release' | 'serviceName' | 'attributes'>;
  readonly kinds: ReadonlySet<SpanKind>;
  readonly feedback: 'none' | 'negative' | 'positive' | 'mixed';
}

/**
 * Whether a trace passes an online rule's filter; every condition given must hold.
 * @example matchesFilter({ releases: ['v2'] }, { root: { release: 'v2', attributes: {} }, kinds: new Set(['LLM']), feedback: 'none' }) // true
 */
export function matchesFilter(filter: OnlineFilter, facts: FilterFacts): boolean {
  if (filter.releases && !(facts.root.release !== undefined && filter.releases.includes(facts.root.release))) return false;
  if (filter.services && !(facts.root.serviceName !== undefined && filter.services.includes(facts.root.serviceName))) return false;
  if (filter.spanKinds && !filter.spanKinds.some((k) => facts.kinds.has(k))) return false;
  if (filter.attributes) {
    for (const [key, want] of Object.entries(filter.attributes)) {
      if (facts.root.attributes[key] !== want) return false;
    }
  }
  switch (filter.feedback) {
    case undefined:
      return true;
    case 'any':
      return facts.feedback !== 'none';
    case 'none':
      return facts.feedback === 'none';
    case 'negative':
      return facts.feedback === 'negative' || facts.feedback === 'mixed';
    case 'positive':
      return facts.feedback === 'positive' || facts.feedback === 'mixed';
  }
}
