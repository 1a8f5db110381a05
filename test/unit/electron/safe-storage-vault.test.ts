/**
 * The desktop app's vault over Electron's safeStorage, with `electron` mocked: secrets are stored
 * as base64 of what safeStorage encrypted (never the plain text), open what they sealed, and when
 * the OS offers no encryption the vault keeps secrets in memory and says why.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const safeStorage = vi.hoisted(() => ({
  isEncryptionAvailable: vi.fn(() => true),
  // A reversible stand-in for the OS keychain's cipher: bytes XORed with a key only it knows.
  encryptString: vi.fn((plain: string) => Buffer.from(Buffer.from(plain, 'utf8').map((byte) => byte ^ 0x5a))),
  decryptString: vi.fn((encrypted: Buffer) => Buffer.from(encrypted.map((byte) => byte ^ 0x5a)).toString('utf8')),
}));
vi.mock('electron', () => ({ safeStorage }));

const { createSafeStorageVault, SAFE_STORAGE_UNAVAILABLE } = await import('../../../src-main/electron/safe-storage-vault.js');

beforeEach(() => {
  safeStorage.isEncryptionAvailable.mockReturnValue(true);
  safeStorage.encryptString.mockClear();
  safeStorage.decryptString.mockClear();
});

describe('the safeStorage vault', () => {
  it("seals with safeStorage's encryption, stores base64, and opens what it sealed", () => {
    const vault = createSafeStorageVault();
    expect(vault.persistent).toBe(true);
    expect(vault.unavailableReason).toBeUndefined();
    const sealed = vault.seal('tok-secret-123')!;
    expect(sealed).toBe(Buffer.from(Buffer.from('tok-secret-123').map((byte) => byte ^ 0x5a)).toString('base64'));
    expect(sealed).not.toContain('tok-secret');
    expect(vault.open(sealed)).toBe('tok-secret-123');
    expect(safeStorage.decryptString).toHaveBeenCalledWith(Buffer.from(sealed, 'base64'));
  });

  it('says to enter the secret again when it cannot be decrypted (another OS account, a new keyring)', () => {
    safeStorage.decryptString.mockImplementationOnce(() => {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    });
    expect(() => createSafeStorageVault().open('AAAA')).toThrow('enter it again in Targets');
  });

  it('keeps secrets in memory, and says so, when the system offers no encryption', () => {
    safeStorage.isEncryptionAvailable.mockReturnValue(false);
    const vault = createSafeStorageVault();
    expect(vault.persistent).toBe(false);
    expect(vault.unavailableReason).toBe(SAFE_STORAGE_UNAVAILABLE);
    expect(vault.seal('tok-secret-123')).toBeUndefined();
    expect(safeStorage.encryptString).not.toHaveBeenCalled();
  });
});
