import { describe, expect, it } from 'vitest';
import { wordDiff } from '../../web/src/components/word-diff.js';

const join = (segments: ReturnType<typeof wordDiff>, keep: 'removed' | 'added') => segments.filter((s) => s.kind !== keep).map((s) => s.text).join('');

describe('wordDiff (the compare page’s output diff)', () => {
  it('marks the words that changed and keeps the rest', () => {
    expect(wordDiff('refund within 30 days', 'refund within 14 days')).toEqual([
      { kind: 'same', text: 'refund within ' },
      { kind: 'removed', text: '30' },
      { kind: 'added', text: '14' },
      { kind: 'same', text: ' days' },
    ]);
  });

  it('rebuilds each side exactly from its segments', () => {
    const before = 'Per our refund policy, you can get your money back within 30 days.\nThanks!';
    const after = 'Puede pedir un reembolso.  Thanks! Per policy';
    const d = wordDiff(before, after);
    expect(join(d, 'added')).toBe(before);
    expect(join(d, 'removed')).toBe(after);
  });

  it('handles empty sides and equal texts', () => {
    expect(wordDiff('', 'new text')).toEqual([{ kind: 'added', text: 'new text' }]);
    expect(wordDiff('old', '')).toEqual([{ kind: 'removed', text: 'old' }]);
    expect(wordDiff('same words', 'same words')).toEqual([{ kind: 'same', text: 'same words' }]);
  });

  it('does not align word by word when both sides are huge, but still rebuilds them', () => {
    const before = Array.from({ length: 3000 }, (_, i) => `a${i}`).join(' ');
    const after = Array.from({ length: 3000 }, (_, i) => `b${i}`).join(' ');
    const d = wordDiff(before, after);
    expect(join(d, 'added')).toBe(before);
    expect(join(d, 'removed')).toBe(after);
  });
});
