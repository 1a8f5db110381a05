/** An error from a command, said as a sentence a person can act on: what failed, then why. */
export function describeError(error: unknown, what: string): string {
  const reason = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  if (!reason) return `${what}.`;
  return `${what}: ${reason.replace(/^Error:\s*/, '')}`;
}
