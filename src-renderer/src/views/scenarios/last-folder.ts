/**
 * The scenario folder last opened in the Scenarios view, remembered in localStorage so that Demo
 * mode can offer the files in it too (a sales engineer's own story, not only the built-ins).
 */
import type { PreferenceStorage } from '../../shell/theme';

export const SCENARIO_FOLDER_KEY = 'scimulator.scenarioFolder';

export function rememberScenarioFolder(storage: PreferenceStorage | undefined, folder: string): void {
  try {
    storage?.setItem(SCENARIO_FOLDER_KEY, folder);
  } catch {
    // A storage that refuses (private mode, quota) only loses the memory of it.
  }
}

export function lastScenarioFolder(storage: PreferenceStorage | undefined): string | undefined {
  try {
    return storage?.getItem(SCENARIO_FOLDER_KEY) || undefined;
  } catch {
    return undefined;
  }
}

/** The page's localStorage, or undefined where there is none. */
export const pageStorage = (): PreferenceStorage | undefined => (typeof localStorage === 'undefined' ? undefined : localStorage);
