import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelPort } from './model-port.js';
import { meteredModels, rateLimitedModels } from './rate-limited-model-port.js';

/** A port that records when (on the fake clock) each call reached it. */
function recordingPort(): { port: ModelPort; at: { model: string; t: number }[] } {
  const at: { model: string; t: number }[] = [];
  const port: ModelPort = {
    isConfigured: () => true,
    async complete(r) {
      at.push({ model: r.model, t: Date.now() });
      return { text: 'ok', toolCalls: [], costUsd: 0.002 };
    },
    async completeObject(r) {
      at.push({ model: r.model, t: Date.now() });
      return { object: {} as never, costUsd: 0.003 };
    },
    async embed(r) {
      at.push({ model: r.model, t: Date.now() });
      return [[1]];
    },
  };
  return { port, at };
}

describe('rateLimitedModels', () => {
  afterEach(() => void vi.useRealTimers());

  it('spaces the calls of a limited provider 60 s / limit apart, and leaves other providers alone', async () => {
    vi.useFakeTimers({ now: 0 });
    const { port, at } = recordingPort();
    const limited = rateLimitedModels(port, { slow: 120 }); // one call per 500 ms
    const calls = [0, 1, 2, 3].map(() => limited.complete({ model: 'slow:m', messages: [] }));
    const free = limited.complete({ model: 'fast:m', messages: [] });
    await vi.advanceTimersByTimeAsync(2_000);
    await Promise.all([...calls, free]);
    expect(at.filter((a) => a.model === 'slow:m').map((a) => a.t)).toEqual([0, 500, 1000, 1500]);
    expect(at.find((a) => a.model === 'fast:m')?.t).toBe(0);
  });
});

describe('meteredModels', () => {
  it('adds up the reported cost of completions', async () => {
    const { port } = recordingPort();
    const meter = meteredModels(port);
    await meter.models.complete({ model: 'a:b', messages: [] });
    await meter.models.completeObject({ model: 'a:b', messages: [], schema: {} as never });
    expect(meter.spentUsd()).toBeCloseTo(0.005, 12);
  });
});
