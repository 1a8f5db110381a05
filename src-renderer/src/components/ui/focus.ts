/**
 * Focus in and out of panels: when a dialog or drawer opens, focus moves into it (its
 * `[data-autofocus]` element, else its first control, else the panel itself); when it closes,
 * focus goes back to what had it before (the row or button that opened it).
 */
import { useEffect, type RefObject } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function focusableIn(container: HTMLElement): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((element) => !element.closest('[inert]'));
}

export function useFocusInAndBack(open: boolean, container: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    if (!open) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    const panel = container.current;
    if (panel) {
      const target = panel.querySelector<HTMLElement>('[data-autofocus]') ?? focusableIn(panel)[0] ?? panel;
      target.focus();
    }
    return () => {
      // Only take focus back if it is still inside the panel (or lost): a click elsewhere keeps its focus.
      const active = document.activeElement;
      if (opener?.isConnected && (!active || active === document.body || panel?.contains(active))) opener.focus();
    };
  }, [open, container]);
}
