import type { TokenUsage } from '../core/target-output.js';
import type { ModelPricing } from './provider-factory.js';

/**
 * Token usage as the port reports it: only the counts the provider gave; undefined when it gave none.
 */
export function toTokenUsage(usage: {
  readonly inputTokens?: number | undefined;
  readonly outputTokens?: number | undefined;
  readonly totalTokens?: number | undefined;
} | undefined): TokenUsage | undefined {
  if (!usage) return undefined;
  const out: { inputTokens?: number; outputTokens?: number; totalTokens?: number } = {};
  if (isCount(usage.inputTokens)) out.inputTokens = usage.inputTokens;
  if (isCount(usage.outputTokens)) out.outputTokens = usage.outputTokens;
  if (isCount(usage.totalTokens)) out.totalTokens = usage.totalTokens;
  else if (out.inputTokens !== undefined && out.outputTokens !== undefined) out.totalTokens = out.inputTokens + out.outputTokens;
  return Object.keys(out).length === 0 ? undefined : out;
}

/**
 * Cost in USD of one call from its usage and the provider's price per million tokens; undefined when
 * the model has no configured price or the provider reported no token counts.
 * @example usageCost({ inputTokens: 1000, outputTokens: 500 }, { inputPerMTok: 2, outputPerMTok: 8 }) // 0.006
 */
export function usageCost(usage: TokenUsage | undefined, pricing: ModelPricing | undefined): number | undefined {
  if (!usage || !pricing) return undefined;
  if (usage.inputTokens === undefined && usage.outputTokens === undefined) return undefined;
  const input = (usage.inputTokens ?? 0) * pricing.inputPerMTok;
  const output = (usage.outputTokens ?? 0) * pricing.outputPerMTok;
  return (input + output) / 1_000_000;
}

function isCount(n: number | undefined): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0;
}
