import { useState } from 'react';

/**
 * A small button that copies the absolute address of `to` (a path of this UI) to the clipboard, and
 * says so. Where the clipboard is refused, it shows the address selected, ready to copy by hand.
 */
export function CopyLink({ to, what }: { to: string; what: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle');
  const address = new URL(to, window.location.origin).href;
  return (
    <span className="copy-link">
      <button
        type="button"
        className="link"
        aria-label={`Copy link to ${what}`}
        title={`Copy link to ${what}`}
        onClick={async (e) => {
          e.stopPropagation();
          try {
            await navigator.clipboard.writeText(address);
            setState('copied');
          } catch {
            setState('manual');
          }
        }}
      >
        {state === 'copied' ? 'copied' : 'copy link'}
      </button>
      {state === 'manual' && <input aria-label={`Link to ${what}`} readOnly value={address} size={Math.min(60, address.length)} onFocus={(e) => e.target.select()} autoFocus />}
      <span className="visually-hidden" aria-live="polite">
        {state === 'copied' ? `Link to ${what} copied` : ''}
      </span>
    </span>
  );
}
