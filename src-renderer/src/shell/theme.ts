/**
 * The colour theme: what the person chose (follow the system, or always light / dark), remembered
 * in localStorage, and the theme that choice resolves to. Pure, so it is tested without a browser;
 * use-theme.ts wires it to `matchMedia` and to `<html data-theme>`, which styles.css keys on.
 */
export const THEME_PREFERENCES = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof THEME_PREFERENCES)[number];
export type Theme = 'light' | 'dark';

export const THEME_STORAGE_KEY = 'scimulator.theme';

/** The part of `localStorage` the theme uses (it may be missing or throw, e.g. with storage disabled). */
export interface PreferenceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function parseThemePreference(stored: string | null | undefined): ThemePreference {
  return (THEME_PREFERENCES as readonly string[]).includes(stored ?? '') ? (stored as ThemePreference) : 'system';
}

export function resolveTheme(preference: ThemePreference, systemPrefersDark: boolean): Theme {
  if (preference === 'system') return systemPrefersDark ? 'dark' : 'light';
  return preference;
}

export function loadThemePreference(storage: PreferenceStorage | undefined): ThemePreference {
  try {
    return parseThemePreference(storage?.getItem(THEME_STORAGE_KEY));
  } catch {
    return 'system';
  }
}

/** Remembers the choice; a storage that refuses (private mode, quota) only loses the memory of it. */
export function saveThemePreference(storage: PreferenceStorage | undefined, preference: ThemePreference): void {
  try {
    storage?.setItem(THEME_STORAGE_KEY, preference);
  } catch {
    // The theme still applies for this session.
  }
}

export const THEME_LABELS: Record<ThemePreference, string> = { system: 'System', light: 'Light', dark: 'Dark' };
