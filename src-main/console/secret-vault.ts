/**
 * The browser host's SecretVault: secrets live in this process's memory only and are never
 * written anywhere, so a saved target's secret is gone after a restart (ServerInfo says so with
 * `secretsPersisted: false`). The desktop app passes its safeStorage vault instead
 * (src-main/electron/safe-storage-vault.ts).
 */
import type { SecretVault } from './ports.js';

/** A vault that seals nothing: `seal` answers undefined, so the caller keeps the secret in memory. */
export function createMemoryVault(): SecretVault {
  return {
    persistent: false,
    seal(): undefined {
      return undefined;
    },
    open(): string {
      // Nothing this vault sealed is ever on disk, so a sealed value can only come from another host.
      throw new Error('This host keeps secrets in memory only and cannot open a sealed secret');
    },
  };
}
