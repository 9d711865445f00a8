import { useId, useRef, useState } from 'react';

/**
 * Lines to paste into a terminal, in a <pre> with a Copy button. Where the browser refuses the
 * clipboard (an insecure origin, a denied permission), the text is selected instead so that the
 * usual copy keys take it.
 */
export function CopyablePre({ lines, label }: { lines: readonly string[]; label: string }) {
  const id = useId();
  const pre = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState<'copied' | 'selected' | null>(null);
  const text = lines.join('\n');
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('copied');
    } catch {
      const range = document.createRange();
      if (pre.current) range.selectNodeContents(pre.current);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      setCopied('selected');
    }
  };
  return (
    <div className="copyable">
      <div className="copyable-bar">
        <span id={`${id}-label`}>{label}</span>
        <button type="button" className="secondary" onClick={() => void copy()} aria-describedby={`${id}-label`}>
          Copy
        </button>
        <span role="status" className="muted">
          {copied === 'copied' ? 'Copied.' : copied === 'selected' ? 'Selected: press Ctrl+C (⌘C) to copy.' : ''}
        </span>
      </div>
      <pre ref={pre} className="output commands" aria-labelledby={`${id}-label`} tabIndex={0}>
        {text}
      </pre>
    </div>
  );
}
