import { THEME_LABELS, THEME_PREFERENCES, type ThemePreference } from './theme';
import { useTheme } from './use-theme';

/** System / Light / Dark, remembered in this browser (or the desktop app's profile). */
export function ThemeSwitch() {
  const { preference, setPreference } = useTheme();
  return (
    <label className="theme-switch">
      <span className="header-label">Theme</span>
      <select
        className="header-select"
        value={preference}
        onChange={(event) => setPreference(event.target.value as ThemePreference)}
        data-testid="theme-switch"
      >
        {THEME_PREFERENCES.map((value) => (
          <option key={value} value={value}>
            {THEME_LABELS[value]}
          </option>
        ))}
      </select>
    </label>
  );
}
