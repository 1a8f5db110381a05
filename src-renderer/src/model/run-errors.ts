/** A failed console command in words a person can act on. */
export function describeFailure(error: unknown, action: string): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/failed to fetch|networkerror|load failed/i.test(message)) {
    return `Couldn't ${action}: Scimulator isn't reachable. Check that it is still running, then try again.`;
  }
  if (/not available/i.test(message)) return `Couldn't ${action}: this console's host does not offer it yet (${message}).`;
  if (/unknown run|not found|no run/i.test(message)) return `Couldn't ${action}: the run is no longer in the history (${message}).`;
  return `Couldn't ${action}: ${message}`;
}
