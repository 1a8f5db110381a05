/**
 * The theme as app-wide state: one controller for the page, so the header's switch, CodeMirror
 * editors and anything else that needs the resolved theme agree. It sets `<html data-theme>` and
 * `color-scheme` (form controls, scrollbars) as soon as this module loads, before the first paint.
 *
 * Other views: style with the CSS variables of styles.css and the theme is free; when a library
 * needs the theme in JS (CodeMirror's one-dark), read it with `useTheme().theme`.
 */
import { useSyncExternalStore } from 'react';
import {
  loadThemePreference,
  resolveTheme,
  saveThemePreference,
  type Theme,
  type ThemePreference,
} from './theme';

const DARK_QUERY = '(prefers-color-scheme: dark)';

function createThemeController() {
  const storage = typeof localStorage === 'undefined' ? undefined : localStorage;
  const media = typeof matchMedia === 'undefined' ? undefined : matchMedia(DARK_QUERY);
  let preference = loadThemePreference(storage);
  let snapshot = { preference, theme: resolveTheme(preference, media?.matches ?? false) };
  const listeners = new Set<() => void>();

  function update(): void {
    const theme = resolveTheme(preference, media?.matches ?? false);
    if (snapshot.preference !== preference || snapshot.theme !== theme) snapshot = { preference, theme };
    document.documentElement.dataset.theme = theme;
    for (const listener of listeners) listener();
  }

  media?.addEventListener('change', update);
  update();

  return {
    current: () => snapshot,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setPreference(next: ThemePreference) {
      preference = next;
      saveThemePreference(storage, next);
      update();
    },
  };
}

const controller = createThemeController();

export function useTheme(): { preference: ThemePreference; theme: Theme; setPreference: (preference: ThemePreference) => void } {
  const { preference, theme } = useSyncExternalStore(controller.subscribe, controller.current);
  return { preference, theme, setPreference: controller.setPreference };
}
