import { ConsoleCommandError, currentConsoleOrigin, describeFailure as describeCommandFailure } from '../transport/errors';

/** A failed console command in words a person can act on: "Couldn’t <action>: <why, and what to do>". */
export function describeFailure(error: unknown, action: string, origin: string = currentConsoleOrigin()): string {
  const message = error instanceof ConsoleCommandError ? error.detail : error instanceof Error ? error.message : String(error);
  if (/not available/i.test(message)) return `Couldn’t ${action}: this console’s host does not offer it yet (${message}).`;
  if (/unknown run|not found|no run/i.test(message)) return `Couldn’t ${action}: the run is no longer in the history (${message}).`;
  return `Couldn’t ${action}: ${describeCommandFailure(error, { origin })}`;
}
