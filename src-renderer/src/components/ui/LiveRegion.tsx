/**
 * One polite live region for the page: `announce("Copied")` from anywhere and screen readers say
 * it, without moving focus. The shell renders `<LiveRegion />` once.
 */
import { useEffect, useState } from 'react';

const listeners = new Set<(message: string) => void>();

export function announce(message: string): void {
  for (const listener of listeners) listener(message);
}

export function LiveRegion() {
  const [message, setMessage] = useState('');
  useEffect(() => {
    let clear: ReturnType<typeof setTimeout> | undefined;
    const listener = (next: string) => {
      // Same text twice in a row is still news ("Copied" after "Copied"): empty it first.
      setMessage('');
      requestAnimationFrame(() => setMessage(next));
      clearTimeout(clear);
      clear = setTimeout(() => setMessage(''), 5000);
    };
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      clearTimeout(clear);
    };
  }, []);
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="live-region">
      {message}
    </div>
  );
}
