import { useMemo } from 'react';
import { text } from './format';
import { wordDiff } from './word-diff';

/**
 * Two outputs side by side, the words only in the baseline struck through on the left and the words
 * only in the candidate marked on the right (with "removed"/"added" for screen readers).
 */
export function OutputDiff({ before, after, beforeLabel, afterLabel }: { before: unknown; after: unknown; beforeLabel: string; afterLabel: string }) {
  const segments = useMemo(() => wordDiff(text(before), text(after)), [before, after]);
  return (
    <div className="side-by-side">
      <section aria-label={beforeLabel}>
        <h4>{beforeLabel}</h4>
        <pre className="output">
          {segments.map((s, i) =>
            s.kind === 'added' ? null : s.kind === 'removed' ? (
              <del key={i}>
                <span className="sr-only">[removed: </span>
                {s.text}
                <span className="sr-only">]</span>
              </del>
            ) : (
              <span key={i}>{s.text}</span>
            ),
          )}
        </pre>
      </section>
      <section aria-label={afterLabel}>
        <h4>{afterLabel}</h4>
        <pre className="output">
          {segments.map((s, i) =>
            s.kind === 'removed' ? null : s.kind === 'added' ? (
              <ins key={i}>
                <span className="sr-only">[added: </span>
                {s.text}
                <span className="sr-only">]</span>
              </ins>
            ) : (
              <span key={i}>{s.text}</span>
            ),
          )}
        </pre>
      </section>
    </div>
  );
}
