/**
 * How busy the machine is without us: the share of all CPUs' time spent busy over a short window,
 * from /proc/stat (Linux). Benches on a 2-core machine are skewed by anything else running, so
 * run-all waits for a quiet spell before each bench and reports what it saw.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

function cpuTimes() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const total = fields.reduce((sum, x) => sum + x, 0);
  return { idle, total };
}

/** Busy share of all CPUs (0..1) over `windowMs`, or undefined where /proc/stat is unreadable. */
export async function busyFraction(windowMs = 1000) {
  try {
    const a = cpuTimes();
    await sleep(windowMs);
    const b = cpuTimes();
    const total = b.total - a.total;
    return total > 0 ? 1 - (b.idle - a.idle) / total : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Waits until the machine has been below `threshold` busy for one window, at most `maxWaitMs`.
 * @returns {Promise<{ busy: number | undefined, waitedMs: number, quiet: boolean }>}
 */
export async function waitForQuiet({ threshold = 0.15, windowMs = 2000, maxWaitMs = 120_000 } = {}) {
  const started = performance.now();
  for (;;) {
    const busy = await busyFraction(windowMs);
    const waitedMs = performance.now() - started;
    if (busy === undefined || busy < threshold) return { busy, waitedMs, quiet: true };
    if (waitedMs >= maxWaitMs) return { busy, waitedMs, quiet: false };
  }
}
