/**
 * The shortcut registry: one keydown listener for the page (installed by the shell with
 * `useShortcutListener`) and `useShortcut(action, handler)` for whoever can act on a shortcut now.
 *
 * The most recently registered handler of an action gets it first (a dialog opened over a drawer
 * closes before the drawer does); a handler returns `false` to pass it on to the next one.
 *
 * Views: `useShortcut('run', start)` and `useShortcut('cancel', cancel)` while they can run; mark
 * a filter field with `data-shortcut="filter"` and `/` focuses it (no hook needed); Drawer and
 * Dialog in components/ui already close on Esc.
 */
import { useEffect, useRef } from 'react';
import { isMacPlatform, matchShortcut, type ShortcutAction, type ShortcutHost, type ShortcutMatch } from './shortcuts';

export type ShortcutHandler = (match: ShortcutMatch, event: KeyboardEvent) => boolean | void;

interface Registration {
  readonly action: ShortcutAction;
  readonly handler: { current: ShortcutHandler };
}

const registrations: Registration[] = [];

export const IS_MAC = typeof navigator !== 'undefined' && isMacPlatform(navigator.platform);

export function useShortcut(action: ShortcutAction, handler: ShortcutHandler, enabled = true): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!enabled) return;
    const registration: Registration = { action, handler: ref };
    registrations.push(registration);
    return () => {
      const index = registrations.indexOf(registration);
      if (index >= 0) registrations.splice(index, 1);
    };
  }, [action, enabled]);
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes(target.type);
  return false;
}

/** Installs the one listener; the shell calls it once, saying which host it runs in. */
export function useShortcutListener(host: ShortcutHost): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      // The scenario editor lives in a shadow root: at the window the event is retargeted to its
      // host element, so the typing test reads the element the key was really pressed in.
      const typing = isTyping(event.composedPath()[0] ?? event.target);
      const match = matchShortcut(event, { mac: IS_MAC, host, typing });
      if (!match) return;
      for (let i = registrations.length - 1; i >= 0; i--) {
        const registration = registrations[i];
        if (registration?.action !== match.action) continue;
        if (registration.handler.current(match, event) === false) continue;
        event.preventDefault();
        return;
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [host]);
}

/** Focuses the visible filter field of the view in front (`data-shortcut="filter"`). */
export function focusFilter(): boolean {
  const fields = Array.from(document.querySelectorAll<HTMLElement>('[data-shortcut="filter"]'));
  const visible = fields.find((field) => field.offsetParent !== null && !field.closest('[inert]'));
  if (!visible) return false;
  visible.focus();
  if (visible instanceof HTMLInputElement) visible.select();
  return true;
}
