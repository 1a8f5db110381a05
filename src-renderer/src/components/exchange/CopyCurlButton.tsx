import { useEffect, useState } from 'react';
import { copyText } from '../../clipboard';

/** "Copy as curl", saying so in a live region when it has copied (or could not). */
export function CopyCurlButton({ command }: { command: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 1500);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <>
      <button
        type="button"
        className={`xv-copy ${state}`}
        title={command}
        onClick={() => void copyText(command).then((ok) => setState(ok ? 'copied' : 'failed'))}
        data-testid="copy-curl"
      >
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy as curl'}
      </button>
      <span className="offscreen" role="status" aria-live="polite">
        {state === 'copied' ? 'curl command copied' : state === 'failed' ? 'Could not copy the curl command' : ''}
      </span>
    </>
  );
}
