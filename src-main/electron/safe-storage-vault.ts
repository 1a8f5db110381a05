/**
 * The desktop app's SecretVault: Electron's `safeStorage` (the OS keychain, DPAPI or libsecret)
 * encrypts each secret, stored as base64. When the OS offers no encryption (a Linux session
 * without a keyring), secrets are kept in memory only rather than written in plain text, and
 * `unavailableReason` says so for the log and ServerInfo (`secretsPersisted: false`).
 */
import { safeStorage as electronSafeStorage } from 'electron';
import type { SecretVault } from '../console/ports.js';
import { createMemoryVault } from '../console/secret-vault.js';

/** The part of Electron's `safeStorage` the vault uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export interface SafeStorageVault extends SecretVault {
  /** Why secrets are not persisted, when they are not; undefined when safeStorage encrypts them. */
  readonly unavailableReason?: string;
}

export const SAFE_STORAGE_UNAVAILABLE =
  "The system offers no encryption for stored secrets (Electron's safeStorage is unavailable): saved targets' secrets are kept in memory until Scimulator quits";

export function createSafeStorageVault(safeStorage: SafeStorageLike = electronSafeStorage): SafeStorageVault {
  if (!safeStorage.isEncryptionAvailable()) {
    return { ...createMemoryVault(), unavailableReason: SAFE_STORAGE_UNAVAILABLE };
  }
  return {
    persistent: true,
    seal(plain: string): string {
      return safeStorage.encryptString(plain).toString('base64');
    },
    open(sealed: string): string {
      try {
        return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
      } catch (error) {
        // A secret sealed under another OS account or keyring cannot be opened: say which way out there is.
        throw new Error(`A saved secret cannot be decrypted (${(error as Error).message}); enter it again in Targets`, { cause: error });
      }
    },
  };
}
