import { currentConsoleOrigin, describeFailure } from '../../transport/errors';

/**
 * An error from a command, said as a sentence a person can act on: what failed, then why, the why
 * in the console's common words (transport/errors.ts), never "Failed to fetch".
 */
export function describeError(error: unknown, what: string, origin: string = currentConsoleOrigin()): string {
  const reason = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  if (!reason) return `${what}.`;
  return `${what}: ${describeFailure(error, { origin }).replace(/^Error:\s*/, '')}`;
}
