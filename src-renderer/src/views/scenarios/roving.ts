/**
 * Lists are one Tab stop: arrow keys, Home and End move between rows, so a long list of
 * scenarios or people does not cost a hundred Tab presses to get past.
 */
import type { KeyboardEvent } from 'react';

export function moveFocusInList(event: KeyboardEvent<HTMLElement>, rowSelector: string): void {
  const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End'];
  if (!keys.includes(event.key)) return;
  const rows = [...event.currentTarget.querySelectorAll<HTMLElement>(rowSelector)];
  if (rows.length === 0) return;
  const current = rows.findIndex((row) => row === document.activeElement || row.contains(document.activeElement));
  const next =
    event.key === 'Home' ? 0 : event.key === 'End' ? rows.length - 1 : Math.min(Math.max(current + (event.key === 'ArrowDown' ? 1 : -1), 0), rows.length - 1);
  event.preventDefault();
  for (const row of rows) row.tabIndex = -1;
  rows[next].tabIndex = 0;
  rows[next].focus();
}
