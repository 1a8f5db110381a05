import { useEffect, useState } from 'react';
import { copyText } from '../clipboard';
import { announce } from './ui/LiveRegion';

/** Copies `text`; says "Copied" on the button and to screen readers (the page's live region). */
export function CopyButton({ text, label, className }: { text: string; label: string; className?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 1500);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <button
      type="button"
      className={`${className ?? 'icon-button'} copy-button ${state}`}
      aria-label={label}
      title={label}
      onClick={() =>
        void copyText(text).then((ok) => {
          setState(ok ? 'copied' : 'failed');
          announce(ok ? 'Copied' : 'Copy failed: select the text and copy it by hand');
        })
      }
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Failed' : 'Copy'}
    </button>
  );
}
