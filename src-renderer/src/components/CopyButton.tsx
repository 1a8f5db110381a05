import { useEffect, useState } from 'react';
import { copyText } from '../clipboard';
import { announce } from './ui/LiveRegion';

/**
 * Copies `text`; says "Copied" on the button and to screen readers (the page's live region).
 * `children` is the button's idle text ("Copy" by default, "Copy as curl"…).
 */
export function CopyButton(props: {
  text: string;
  label: string;
  className?: string;
  children?: string;
  /** Shown as the tooltip instead of the label (e.g. the command itself). */
  title?: string;
  testId?: string;
}) {
  const { text, label, className, children = 'Copy', title, testId } = props;
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
      title={title ?? label}
      data-testid={testId}
      onClick={() =>
        void copyText(text).then((ok) => {
          setState(ok ? 'copied' : 'failed');
          announce(ok ? 'Copied' : 'Copy failed: select the text and copy it by hand');
        })
      }
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : children}
    </button>
  );
}
