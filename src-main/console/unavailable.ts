/**
 * SCAFFOLDING, removed once every service exists: slices of the contract whose service is not
 * built yet answer with a clear error instead of a missing function.
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
