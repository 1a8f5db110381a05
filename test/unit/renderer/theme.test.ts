import { describe, expect, it } from 'vitest';
import {
  loadThemePreference,
  parseThemePreference,
  resolveTheme,
  saveThemePreference,
  THEME_STORAGE_KEY,
  type PreferenceStorage,
} from '../../../src-renderer/src/shell/theme';

function memoryStorage(initial: Record<string, string> = {}): PreferenceStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return { data, getItem: (key) => data[key] ?? null, setItem: (key, value) => void (data[key] = value) };
}

const broken: PreferenceStorage = {
  getItem: () => {
    throw new Error('SecurityError: storage disabled');
  },
  setItem: () => {
    throw new Error('QuotaExceededError');
  },
};

describe('theme preference', () => {
  it('follows the system unless told light or dark', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('is remembered across reloads', () => {
    const storage = memoryStorage();
    expect(loadThemePreference(storage)).toBe('system');
    saveThemePreference(storage, 'dark');
    expect(storage.data[THEME_STORAGE_KEY]).toBe('dark');
    expect(loadThemePreference(storage)).toBe('dark');
  });

  it('falls back to the system for anything it did not write', () => {
    expect(parseThemePreference('solarized')).toBe('system');
    expect(parseThemePreference(null)).toBe('system');
    expect(loadThemePreference(memoryStorage({ [THEME_STORAGE_KEY]: 'DARK' }))).toBe('system');
  });

  it('still works when storage is missing or refuses', () => {
    expect(loadThemePreference(undefined)).toBe('system');
    expect(loadThemePreference(broken)).toBe('system');
    expect(() => saveThemePreference(broken, 'light')).not.toThrow();
  });
});
