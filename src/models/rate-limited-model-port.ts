import { parseModelRef } from '../core/provider-config.js';
import type { ModelPort } from './model-port.js';

/**
 * Spaces out LLM calls per provider so a worker stays under each provider's requests-per-minute
 * limit: call n of a provider starts no earlier than n × (60 s / limit) after the first. The limit is
 * per process; with several workers give each its share.
 */
export function rateLimitedModels(port: ModelPort, limitsPerMinute: Readonly<Record<string, number>>, now: () => number = Date.now): ModelPort {
  const nextSlot = new Map<string, number>();
  async function wait(modelRef: string): Promise<void> {
    let provider: string;
    try {
      provider = parseModelRef(modelRef).provider;
    } catch {
      return;
    }
    const limit = limitsPerMinute[provider];
    if (limit === undefined || limit <= 0) return;
    const gap = 60_000 / limit;
    const t = now();
    const slot = Math.max(t, nextSlot.get(provider) ?? t);
    nextSlot.set(provider, slot + gap);
    if (slot > t) await new Promise((resolve) => setTimeout(resolve, slot - t));
  }
  return {
    isConfigured: (ref) => port.isConfigured(ref),
    unavailable: (ref) => port.unavailable?.(ref),
    async complete(request) {
      await wait(request.model);
      return port.complete(request);
    },
    async completeObject(request) {
      await wait(request.model);
      return port.completeObject(request);
    },
    async embed(request) {
      await wait(request.model);
      return port.embed(request);
    },
  };
}

/** A port that adds up the cost of the calls made through it (what a rule's judges spend). */
export function meteredModels(port: ModelPort): { models: ModelPort; spentUsd: () => number } {
  let spent = 0;
  return {
    spentUsd: () => spent,
    models: {
      isConfigured: (ref) => port.isConfigured(ref),
    unavailable: (ref) => port.unavailable?.(ref),
      async complete(request) {
        const r = await port.complete(request);
        spent += r.costUsd ?? 0;
        return r;
      },
      async completeObject(request) {
        const r = await port.completeObject(request);
        spent += r.costUsd ?? 0;
        return r;
      },
      embed: (request) => port.embed(request),
    },
  };
}
