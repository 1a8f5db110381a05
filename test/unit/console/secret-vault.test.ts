/** The browser host's vault keeps nothing on disk: seal gives nothing to store. */
import { describe, expect, it } from 'vitest';
import { createMemoryVault } from '../../../src-main/console/secret-vault.js';

describe('the in-memory vault', () => {
  it('is not persistent and never hands out anything to write', () => {
    const vault = createMemoryVault();
    expect(vault.persistent).toBe(false);
    expect(vault.seal('tok-secret')).toBeUndefined();
  });

  it('refuses to open a sealed value, which only a persistent vault could have made', () => {
    expect(() => createMemoryVault().open('c2VhbGVk')).toThrow('keeps secrets in memory only');
  });
});
