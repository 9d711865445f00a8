/** One run of text in a word diff: in both, only in the old text, or only in the new one. */
export interface DiffSegment {
  readonly kind: 'same' | 'removed' | 'added';
  readonly text: string;
}

/** Above this many token pairs the middle is not aligned word by word (shown as replaced whole). */
const MAX_CELLS = 4_000_000;

/**
 * Word-level diff of two texts (longest common subsequence over words and the spaces between
 * them), with the common start and end trimmed first so long, mostly equal outputs stay cheap.
 * @example wordDiff('refund within 30 days', 'refund within 14 days')
 * // [{same:'refund within '}, {removed:'30'}, {added:'14'}, {same:' days'}]
 */
export function wordDiff(before: string, after: string): DiffSegment[] {
  const a = tokens(before);
  const b = tokens(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffSegment[] = [];
  const push = (kind: DiffSegment['kind'], text: string): void => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last && last.kind === kind) out[out.length - 1] = { kind, text: last.text + text };
    else out.push({ kind, text });
  };
  push('same', a.slice(0, start).join(''));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > MAX_CELLS) {
    push('removed', midA.join(''));
    push('added', midB.join(''));
  } else {
    for (const [kind, text] of align(midA, midB)) push(kind, text);
  }
  push('same', a.slice(endA).join(''));
  return out;
}

function tokens(text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? [];
}

/** LCS alignment of two token lists, removals before additions where both occur. */
function align(a: readonly string[], b: readonly string[]): [DiffSegment['kind'], string][] {
  const n = a.length;
  const m = b.length;
  // lcs[i * (m + 1) + j] = length of the LCS of a[i:] and b[j:].
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = a[i] === b[j] ? (lcs[(i + 1) * (m + 1) + j + 1] as number) + 1 : Math.max(lcs[(i + 1) * (m + 1) + j] as number, lcs[i * (m + 1) + j + 1] as number);
    }
  }
  const out: [DiffSegment['kind'], string][] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(['same', a[i] as string]);
      i++;
      j++;
    } else if (j >= m || (i < n && (lcs[(i + 1) * (m + 1) + j] as number) >= (lcs[i * (m + 1) + j + 1] as number))) {
      out.push(['removed', a[i] as string]);
      i++;
    } else {
      out.push(['added', b[j] as string]);
      j++;
    }
  }
  return out;
}
