/**
 * Slices of the contract for a console composed without some services (the provider-only console
 * the transport tests drive): their commands answer with a clear error rather than being missing.
 * The real hosts (hosts/console-server.ts) always compose every service.
 */
import type { ConsoleCommands } from '../api/contract.js';

export class CommandUnavailable extends Error {
  constructor(name: string) {
    super(`${name} is not available in this host`);
    this.name = 'CommandUnavailable';
  }
}

export function unavailable<K extends keyof ConsoleCommands>(names: readonly K[]): Pick<ConsoleCommands, K> {
  const slice: Partial<Record<K, () => Promise<never>>> = {};
  for (const name of names) slice[name] = () => Promise.reject(new CommandUnavailable(name));
  return slice as unknown as Pick<ConsoleCommands, K>;
}
