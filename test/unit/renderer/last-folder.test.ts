/** The scenario folder Demo mode offers: remembered from the Scenarios view, and nothing lost when storage refuses. */
import { describe, expect, it } from 'vitest';
import { lastScenarioFolder, rememberScenarioFolder } from '../../../src-renderer/src/views/scenarios/last-folder';

function memoryStorage() {
  const values = new Map<string, string>();
  return { getItem: (key: string) => values.get(key) ?? null, setItem: (key: string, value: string) => void values.set(key, value) };
}

const refusing = {
  getItem: (): string | null => {
    throw new Error('SecurityError');
  },
  setItem: (): void => {
    throw new Error('QuotaExceededError');
  },
};

describe('the last scenario folder', () => {
  it('is the one opened last', () => {
    const storage = memoryStorage();
    expect(lastScenarioFolder(storage)).toBeUndefined();
    rememberScenarioFolder(storage, '/srv/scenarios');
    rememberScenarioFolder(storage, 'D:\\scenarios\\scim');
    expect(lastScenarioFolder(storage)).toBe('D:\\scenarios\\scim');
  });

  it('is simply not known where storage is missing or refuses', () => {
    expect(() => rememberScenarioFolder(refusing, '/x')).not.toThrow();
    expect(lastScenarioFolder(refusing)).toBeUndefined();
    expect(lastScenarioFolder(undefined)).toBeUndefined();
  });
});
