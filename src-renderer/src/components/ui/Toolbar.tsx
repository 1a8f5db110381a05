/**
 * A row of controls (role=toolbar): Left / Right move between them, as in a desktop app's toolbar.
 * `<Toolbar label="Run actions"><Button …/><Button …/></Toolbar>`
 */
import type { KeyboardEvent, ReactNode } from 'react';
import { focusableIn } from './focus';
import { rovingIndex } from './roving';

export function Toolbar({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Text fields keep their arrow keys.
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLSelectElement) return;
    const items = focusableIn(event.currentTarget);
    const current = items.indexOf(event.target as HTMLElement);
    const next = rovingIndex(event.key, current, items.length);
    if (current < 0 || next === undefined || event.key === 'Home' || event.key === 'End') return;
    event.preventDefault();
    items[next]?.focus();
  };
  return (
    <div role="toolbar" aria-label={label} className={['toolbar', className].filter(Boolean).join(' ')} onKeyDown={onKeyDown}>
      {children}
    </div>
  );
}
