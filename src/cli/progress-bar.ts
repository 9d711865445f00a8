import type { RunProgress } from '../runner/progress.js';

/**
 * Renders run progress on stderr: a redrawn bar on a terminal, a plain line every 10% (or 10 s)
 * otherwise, so CI logs stay readable.
 */
export function createProgressRenderer(stream: NodeJS.WriteStream = process.stderr): { update: (p: RunProgress) => void; end: () => void } {
  const tty = Boolean(stream.isTTY);
  let lastBucket = -1;
  let lastLineAt = 0;
  let drawn = false;
  const text = (p: RunProgress): string => {
    const frac = p.total === 0 ? 1 : p.done / p.total;
    const rate = p.elapsedMs > 0 ? (p.done / p.elapsedMs) * 1000 : 0;
    return `${p.done}/${p.total} ${(frac * 100).toFixed(0)}%  errors ${p.errors}  cached ${p.cached}  ${rate.toFixed(0)}/s  ${(p.elapsedMs / 1000).toFixed(1)}s`;
  };
  return {
    update(p) {
      if (tty) {
        const width = 30;
        const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width);
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text(p)}\x1b[K`);
        drawn = true;
        return;
      }
      const bucket = p.total === 0 ? 10 : Math.floor((p.done / p.total) * 10);
      if (bucket !== lastBucket || p.elapsedMs - lastLineAt >= 10_000) {
        lastBucket = bucket;
        lastLineAt = p.elapsedMs;
        stream.write(`progress ${text(p)}\n`);
      }
    },
    end() {
      if (tty && drawn) stream.write('\n');
    },
  };
}
